-- PostgreSQL leaves room in link_counts' pages for its updates (see
-- migrations/postgres/0006); SQLite updates a row in place. The version is
-- kept in step with PostgreSQL's.
SELECT 1;

-- The change feed: one row each time a link's stored row changes in a way a
-- cached link must learn of (revoked, edited, deleted, a completed use of a
-- link with max_uses), written by triggers so that every writer is covered:
-- this process, another one, an older basketlink, a hand edit. Each server
-- polls it (store.LinkChanges) and forgets old rows (store.PruneLinkChanges).
-- changed_at is unix microseconds by the database's clock, never a
-- process's; SQLite's clock counts milliseconds.
CREATE TABLE link_changes (
    basket_id  TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX link_changes_changed_at ON link_changes (changed_at);

-- Any column of a basket; both ids if the id itself was changed.
CREATE TRIGGER link_changes_basket_update AFTER UPDATE ON baskets
BEGIN
    INSERT INTO link_changes (basket_id, changed_at)
    SELECT OLD.id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000
    UNION SELECT NEW.id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000;
END;

CREATE TRIGGER link_changes_basket_delete AFTER DELETE ON baskets
BEGIN
    INSERT INTO link_changes (basket_id, changed_at)
    VALUES (OLD.id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000);
END;

-- A completed use counts against max_uses (see linkColumns in store/links.go);
-- a link without max_uses does not depend on its outcomes.
CREATE TRIGGER link_changes_outcome_insert AFTER INSERT ON outcomes
WHEN NEW.status = 'ok'
BEGIN
    INSERT INTO link_changes (basket_id, changed_at)
    SELECT id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000
    FROM baskets WHERE id = NEW.basket_id AND max_uses IS NOT NULL;
END;

-- The same for a completed use edited or deleted by hand.
CREATE TRIGGER link_changes_outcome_update AFTER UPDATE OF status, basket_id ON outcomes
WHEN OLD.status = 'ok' OR NEW.status = 'ok'
BEGIN
    INSERT INTO link_changes (basket_id, changed_at)
    SELECT id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000
    FROM baskets WHERE id IN (OLD.basket_id, NEW.basket_id) AND max_uses IS NOT NULL;
END;

CREATE TRIGGER link_changes_outcome_delete AFTER DELETE ON outcomes
WHEN OLD.status = 'ok'
BEGIN
    INSERT INTO link_changes (basket_id, changed_at)
    SELECT id, CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000
    FROM baskets WHERE id = OLD.basket_id AND max_uses IS NOT NULL;
END;

-- link_counts without a rowid: the row lives in the primary key's B-tree, so
-- a count flush descends one tree per link instead of two.
CREATE TABLE link_counts_new (
    basket_id TEXT PRIMARY KEY REFERENCES baskets (id),
    views     INTEGER NOT NULL DEFAULT 0,
    continues INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO link_counts_new (basket_id, views, continues)
    SELECT basket_id, views, continues FROM link_counts;
DROP TABLE link_counts;
ALTER TABLE link_counts_new RENAME TO link_counts;

-- As migrations/sqlite/0005_link_changes.sql: the change feed, written by
-- triggers. changed_at is unix microseconds by the database's clock
-- (clock_timestamp(): when the row changed, not when its transaction began),
-- so servers whose clocks disagree agree on it.
CREATE TABLE link_changes (
    basket_id  TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX link_changes_changed_at ON link_changes (changed_at);

CREATE FUNCTION link_changes_now() RETURNS BIGINT LANGUAGE sql VOLATILE
AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT $$;

-- Any column of a basket; both ids if the id itself was changed.
CREATE FUNCTION link_changes_basket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO link_changes (basket_id, changed_at) VALUES (OLD.id, link_changes_now());
    IF TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id THEN
        INSERT INTO link_changes (basket_id, changed_at) VALUES (NEW.id, link_changes_now());
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER link_changes_basket AFTER UPDATE OR DELETE ON baskets
    FOR EACH ROW EXECUTE FUNCTION link_changes_basket();

-- A completed use counts against max_uses (see linkColumns in store/links.go);
-- a link without max_uses does not depend on its outcomes. A completed use
-- edited or deleted by hand counts too.
CREATE FUNCTION link_changes_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'ok' THEN
        INSERT INTO link_changes (basket_id, changed_at)
        SELECT id, link_changes_now() FROM baskets WHERE id = OLD.basket_id AND max_uses IS NOT NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'ok' THEN
        INSERT INTO link_changes (basket_id, changed_at)
        SELECT id, link_changes_now() FROM baskets WHERE id = NEW.basket_id AND max_uses IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER link_changes_outcome_insert AFTER INSERT ON outcomes
    FOR EACH ROW WHEN (NEW.status = 'ok') EXECUTE FUNCTION link_changes_outcome();
CREATE TRIGGER link_changes_outcome_update AFTER UPDATE OF status, basket_id ON outcomes
    FOR EACH ROW WHEN (OLD.status = 'ok' OR NEW.status = 'ok') EXECUTE FUNCTION link_changes_outcome();
CREATE TRIGGER link_changes_outcome_delete AFTER DELETE ON outcomes
    FOR EACH ROW WHEN (OLD.status = 'ok') EXECUTE FUNCTION link_changes_outcome();

-- Boards migrated before flow_cards existed are rebuilt from their event logs at the next start
-- (store.flow.ensureReady), which fills flow_cards with the rest of the aggregates.
UPDATE `boards` SET `flow_ready` = false;

CREATE TABLE `flow_blocks` (
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`opened_version` integer NOT NULL,
	`column_id` text NOT NULL,
	`reason` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	PRIMARY KEY(`board_id`, `card_id`, `opened_version`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `flow_blocks_board_time_idx` ON `flow_blocks` (`board_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `cards` ADD `blocked_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cards` ADD `blocked_since` integer;--> statement-breakpoint
-- A card blocked before blocked time was kept: its open interval starts at its last block in the log.
UPDATE `cards` SET `blocked_since` = (SELECT max(e.`at`) FROM `events` e WHERE e.`card_id` = `cards`.`id` AND e.`type` = 'card_updated' AND json_extract(e.`data`, '$.changes.blocked') = 1) WHERE `blocked` = 1;--> statement-breakpoint
-- The flow aggregates are recomputed from each board's log at the next start (store.flow.ensureReady), blocked intervals included.
DELETE FROM `card_flow`;--> statement-breakpoint
DELETE FROM `flow_counts_hourly`;--> statement-breakpoint
DELETE FROM `flow_counts_daily`;--> statement-breakpoint
DELETE FROM `flow_cards`;--> statement-breakpoint
UPDATE `boards` SET `flow_version` = 0;

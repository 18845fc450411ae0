CREATE TABLE `flow_cards` (
	`card_id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`title` text NOT NULL,
	`created_at` integer NOT NULL,
	`committed_at` integer,
	`done_at` integer,
	`furthest_id` text NOT NULL,
	`column_id` text NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `flow_cards_done_idx` ON `flow_cards` (`board_id`,`done_at`,`card_id`,`title`,`created_at`,`committed_at`);--> statement-breakpoint
CREATE INDEX `flow_cards_open_idx` ON `flow_cards` (`board_id`,`deleted_at`,`done_at`);--> statement-breakpoint
CREATE INDEX `flow_counts_hourly_cover_idx` ON `flow_counts_hourly` (`board_id`,`bucket`,`column_id`,`reached`,`entered`,`exited`,`deleted`,`abandoned`,`returned`);
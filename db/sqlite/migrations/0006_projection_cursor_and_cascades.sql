CREATE TABLE `instance_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_backward_moves` (
	`event_seq` integer PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`card_id` text NOT NULL,
	`detected_at_column_id` text NOT NULL,
	`returned_to_column_id` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`event_seq`) REFERENCES `events`(`seq`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_backward_moves`("event_seq", "board_id", "card_id", "detected_at_column_id", "returned_to_column_id", "reason", "actor", "at") SELECT "event_seq", "board_id", "card_id", "detected_at_column_id", "returned_to_column_id", "reason", "actor", "at" FROM `backward_moves`;--> statement-breakpoint
DROP TABLE `backward_moves`;--> statement-breakpoint
ALTER TABLE `__new_backward_moves` RENAME TO `backward_moves`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `backward_moves_returned_idx` ON `backward_moves` (`returned_to_column_id`,`at`);--> statement-breakpoint
CREATE INDEX `backward_moves_board_at_idx` ON `backward_moves` (`board_id`,`at`);--> statement-breakpoint
CREATE TABLE `__new_board_invites` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_board_invites`("id", "board_id", "token_hash", "role", "created_by", "created_at", "expires_at") SELECT "id", "board_id", "token_hash", "role", "created_by", "created_at", "expires_at" FROM `board_invites`;--> statement-breakpoint
DROP TABLE `board_invites`;--> statement-breakpoint
ALTER TABLE `__new_board_invites` RENAME TO `board_invites`;--> statement-breakpoint
CREATE UNIQUE INDEX `board_invites_token_hash_unique` ON `board_invites` (`token_hash`);--> statement-breakpoint
CREATE INDEX `board_invites_board_idx` ON `board_invites` (`board_id`);--> statement-breakpoint
CREATE TABLE `__new_board_members` (
	`board_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `user_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_board_members`("board_id", "user_id", "role", "created_at") SELECT "board_id", "user_id", "role", "created_at" FROM `board_members`;--> statement-breakpoint
DROP TABLE `board_members`;--> statement-breakpoint
ALTER TABLE `__new_board_members` RENAME TO `board_members`;--> statement-breakpoint
CREATE INDEX `board_members_user_idx` ON `board_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `__new_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`column_id` text NOT NULL,
	`position` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'feature' NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`blocked_reason` text,
	`defect_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`entered_column_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`column_id`) REFERENCES `columns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_cards`("id", "board_id", "column_id", "position", "title", "description", "type", "blocked", "blocked_reason", "defect_count", "created_at", "updated_at", "entered_column_at", "deleted_at") SELECT "id", "board_id", "column_id", "position", "title", "description", "type", "blocked", "blocked_reason", "defect_count", "created_at", "updated_at", "entered_column_at", "deleted_at" FROM `cards`;--> statement-breakpoint
DROP TABLE `cards`;--> statement-breakpoint
ALTER TABLE `__new_cards` RENAME TO `cards`;--> statement-breakpoint
CREATE INDEX `cards_column_idx` ON `cards` (`column_id`,`position`);--> statement-breakpoint
CREATE INDEX `cards_board_idx` ON `cards` (`board_id`);--> statement-breakpoint
CREATE TABLE `__new_columns` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`name` text NOT NULL,
	`ord` integer NOT NULL,
	`wip_limit` integer,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	`flow_ord` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_columns`("id", "board_id", "name", "ord", "wip_limit", "created_at", "removed_at", "flow_ord") SELECT "id", "board_id", "name", "ord", "wip_limit", "created_at", "removed_at", "flow_ord" FROM `columns`;--> statement-breakpoint
DROP TABLE `columns`;--> statement-breakpoint
ALTER TABLE `__new_columns` RENAME TO `columns`;--> statement-breakpoint
CREATE INDEX `columns_board_idx` ON `columns` (`board_id`,`ord`);--> statement-breakpoint
CREATE TABLE `__new_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	`card_id` text,
	`data` text NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_events`("seq", "board_id", "version", "type", "actor", "actor_id", "at", "card_id", "data") SELECT "seq", "board_id", "version", "type", "actor", "actor_id", "at", "card_id", "data" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
CREATE UNIQUE INDEX `events_board_version_idx` ON `events` (`board_id`,`version`);--> statement-breakpoint
CREATE INDEX `events_card_idx` ON `events` (`card_id`);--> statement-breakpoint
CREATE INDEX `events_board_at_idx` ON `events` (`board_id`,`at`);--> statement-breakpoint
ALTER TABLE `boards` ADD `flow_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Boards whose aggregates were caught up start with the cursor at their version; the rest catch up from 0.
UPDATE `boards` SET `flow_version` = `version` WHERE `flow_ready` = 1;--> statement-breakpoint
CREATE TABLE `__new_imported_items` (
	`card_id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`ord` integer DEFAULT 0 NOT NULL,
	`external_id` text NOT NULL,
	`link` text,
	`attributes` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_imported_items`("card_id", "board_id", "ord", "external_id", "link", "attributes") SELECT "card_id", "board_id", rowid, "external_id", "link", "attributes" FROM `imported_items`;--> statement-breakpoint
DROP TABLE `imported_items`;--> statement-breakpoint
ALTER TABLE `__new_imported_items` RENAME TO `imported_items`;--> statement-breakpoint
CREATE TABLE `__new_card_flow` (
	`card_id` text NOT NULL,
	`column_id` text NOT NULL,
	`board_id` text NOT NULL,
	`entered_at` integer,
	`reached_at` integer NOT NULL,
	PRIMARY KEY(`card_id`, `column_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_card_flow`("card_id", "column_id", "board_id", "entered_at", "reached_at") SELECT "card_id", "column_id", "board_id", "entered_at", "reached_at" FROM `card_flow`;--> statement-breakpoint
DROP TABLE `card_flow`;--> statement-breakpoint
ALTER TABLE `__new_card_flow` RENAME TO `card_flow`;--> statement-breakpoint
CREATE INDEX `card_flow_reached_idx` ON `card_flow` (`board_id`,`column_id`,`reached_at`);--> statement-breakpoint
CREATE TABLE `__new_flow_cards` (
	`card_id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`title` text NOT NULL,
	`created_at` integer NOT NULL,
	`committed_at` integer,
	`done_at` integer,
	`furthest_id` text NOT NULL,
	`column_id` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_flow_cards`("card_id", "board_id", "title", "created_at", "committed_at", "done_at", "furthest_id", "column_id", "deleted_at") SELECT "card_id", "board_id", "title", "created_at", "committed_at", "done_at", "furthest_id", "column_id", "deleted_at" FROM `flow_cards`;--> statement-breakpoint
DROP TABLE `flow_cards`;--> statement-breakpoint
ALTER TABLE `__new_flow_cards` RENAME TO `flow_cards`;--> statement-breakpoint
CREATE INDEX `flow_cards_done_idx` ON `flow_cards` (`board_id`,`done_at`,`card_id`,`title`,`created_at`,`committed_at`);--> statement-breakpoint
CREATE INDEX `flow_cards_open_idx` ON `flow_cards` (`board_id`,`deleted_at`,`done_at`);--> statement-breakpoint
CREATE TABLE `__new_flow_counts_daily` (
	`board_id` text NOT NULL,
	`column_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`entered` integer DEFAULT 0 NOT NULL,
	`exited` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`returned` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`board_id`, `bucket`, `column_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_flow_counts_daily`("board_id", "column_id", "bucket", "reached", "entered", "exited", "deleted", "abandoned", "returned") SELECT "board_id", "column_id", "bucket", "reached", "entered", "exited", "deleted", "abandoned", "returned" FROM `flow_counts_daily`;--> statement-breakpoint
DROP TABLE `flow_counts_daily`;--> statement-breakpoint
ALTER TABLE `__new_flow_counts_daily` RENAME TO `flow_counts_daily`;--> statement-breakpoint
CREATE TABLE `__new_flow_counts_hourly` (
	`board_id` text NOT NULL,
	`column_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`entered` integer DEFAULT 0 NOT NULL,
	`exited` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`returned` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`board_id`, `bucket`, `column_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_flow_counts_hourly`("board_id", "column_id", "bucket", "reached", "entered", "exited", "deleted", "abandoned", "returned") SELECT "board_id", "column_id", "bucket", "reached", "entered", "exited", "deleted", "abandoned", "returned" FROM `flow_counts_hourly`;--> statement-breakpoint
DROP TABLE `flow_counts_hourly`;--> statement-breakpoint
ALTER TABLE `__new_flow_counts_hourly` RENAME TO `flow_counts_hourly`;--> statement-breakpoint
CREATE INDEX `flow_counts_hourly_cover_idx` ON `flow_counts_hourly` (`board_id`,`bucket`,`column_id`,`reached`,`entered`,`exited`,`deleted`,`abandoned`,`returned`);
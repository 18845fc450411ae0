CREATE TABLE `card_flow` (
	`card_id` text NOT NULL,
	`column_id` text NOT NULL,
	`board_id` text NOT NULL,
	`entered_at` integer,
	`reached_at` integer NOT NULL,
	PRIMARY KEY(`card_id`, `column_id`)
);
--> statement-breakpoint
CREATE INDEX `card_flow_reached_idx` ON `card_flow` (`board_id`,`column_id`,`reached_at`);--> statement-breakpoint
CREATE TABLE `flow_counts_daily` (
	`board_id` text NOT NULL,
	`column_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`entered` integer DEFAULT 0 NOT NULL,
	`exited` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`returned` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`board_id`, `bucket`, `column_id`)
);
--> statement-breakpoint
CREATE TABLE `flow_counts_hourly` (
	`board_id` text NOT NULL,
	`column_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`entered` integer DEFAULT 0 NOT NULL,
	`exited` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`returned` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`board_id`, `bucket`, `column_id`)
);
--> statement-breakpoint
CREATE TABLE `imported_items` (
	`card_id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`external_id` text NOT NULL,
	`link` text,
	`attributes` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
ALTER TABLE `boards` ADD `demand_per_week` real;--> statement-breakpoint
ALTER TABLE `boards` ADD `commitment_column_id` text;--> statement-breakpoint
ALTER TABLE `boards` ADD `flow_ready` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `columns` ADD `flow_ord` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `backward_moves_board_at_idx` ON `backward_moves` (`board_id`,`at`);
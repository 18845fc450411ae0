CREATE TABLE `lanes` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`name` text NOT NULL,
	`class_of_service` text DEFAULT 'standard' NOT NULL,
	`wip_limit` integer,
	`ord` integer NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lanes_board_idx` ON `lanes` (`board_id`,`ord`);--> statement-breakpoint
CREATE TABLE `lane_column_limits` (
	`lane_id` text NOT NULL,
	`column_id` text NOT NULL,
	`board_id` text NOT NULL,
	`wip_limit` integer NOT NULL,
	PRIMARY KEY(`lane_id`, `column_id`),
	FOREIGN KEY (`lane_id`) REFERENCES `lanes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lane_column_limits_board_idx` ON `lane_column_limits` (`board_id`);--> statement-breakpoint
ALTER TABLE `cards` ADD `lane_id` text;--> statement-breakpoint
-- Every existing board gets its one default lane (lib/shared/domain/lanes.ts defaultLaneId) holding all its cards.
INSERT INTO `lanes` (`id`, `board_id`, `name`, `class_of_service`, `wip_limit`, `ord`, `created_at`, `deleted_at`) SELECT 'lane-' || `id`, `id`, 'Standard', 'standard', NULL, 0, `created_at`, NULL FROM `boards`;--> statement-breakpoint
UPDATE `cards` SET `lane_id` = 'lane-' || `board_id`;--> statement-breakpoint
CREATE INDEX `cards_lane_idx` ON `cards` (`lane_id`,`column_id`,`deleted_at`);

CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`event_types` text NOT NULL,
	`enabled` integer DEFAULT 1 NOT NULL,
	`disabled_reason` text,
	`disabled_at` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`failing_since` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhooks_board_idx` ON `webhooks` (`board_id`);--> statement-breakpoint
CREATE TABLE `webhook_outbox` (
	`board_id` text NOT NULL,
	`event_version` integer NOT NULL,
	`event_type` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `event_version`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`webhook_id` text NOT NULL,
	`event_version` integer NOT NULL,
	`board_id` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_from` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`last_duration_ms` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`webhook_id`, `event_version`),
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`) WHERE "webhook_deliveries"."status" = 'pending';

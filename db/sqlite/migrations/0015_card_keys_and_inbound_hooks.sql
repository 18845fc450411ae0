-- Card keys (lib/shared/domain/keys.ts): a number per board, in creation order, never reused.
ALTER TABLE `cards` ADD `number` integer;--> statement-breakpoint
UPDATE `cards` SET `number` = (SELECT `n` FROM (SELECT `id`, row_number() OVER (PARTITION BY `board_id` ORDER BY `created_at`, `id`) AS `n` FROM `cards`) `r` WHERE `r`.`id` = `cards`.`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cards_board_number_idx` ON `cards` (`board_id`,`number`);--> statement-breakpoint
-- The log's card_created events carry the number from now on; those written before get it here, so a fold of the log gives every card its key.
UPDATE `events` SET `data` = '{"card":{"number":' || CAST((SELECT `number` FROM `cards` WHERE `cards`.`id` = `events`.`card_id`) AS text) || ',' || substr(`data`, 10) WHERE `type` = 'card_created' AND substr(`data`, 1, 9) = '{"card":{' AND EXISTS (SELECT 1 FROM `cards` WHERE `cards`.`id` = `events`.`card_id`);--> statement-breakpoint
ALTER TABLE `cards` ADD `automation_refusal` text;--> statement-breakpoint
-- Null: derived from the board's name (keyPrefixOf), frozen here at the first rename.
ALTER TABLE `boards` ADD `key_prefix` text;--> statement-breakpoint
ALTER TABLE `boards` ADD `hook_mapping` text;--> statement-breakpoint
CREATE TABLE `inbound_hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`board_id` text NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbound_hooks_board_idx` ON `inbound_hooks` (`board_id`);--> statement-breakpoint
CREATE TABLE `inbound_hook_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hook_id` text NOT NULL,
	`board_id` text NOT NULL,
	`at` integer NOT NULL,
	`provider` text NOT NULL,
	`happening` text,
	`delivery_id` text,
	`card_key` text,
	`outcome` text NOT NULL,
	`code` text,
	`message` text NOT NULL,
	FOREIGN KEY (`hook_id`) REFERENCES `inbound_hooks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbound_hook_log_hook_idx` ON `inbound_hook_log` (`hook_id`,`seq`);--> statement-breakpoint
CREATE TABLE `inbound_deliveries` (
	`hook_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`hook_id`, `delivery_id`),
	FOREIGN KEY (`hook_id`) REFERENCES `inbound_hooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `alert_cards` (
	`board_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`card_id` text NOT NULL,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`board_id`, `fingerprint`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade
);

ALTER TABLE `cards` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `flow_cards` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `flow_cards` ADD `split_at` integer;--> statement-breakpoint
CREATE INDEX `flow_cards_children_idx` ON `flow_cards` (`board_id`,`card_id`,`parent_id`,`created_at`) WHERE parent_id is not null;

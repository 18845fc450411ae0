ALTER TABLE `cards` ADD `assignee_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `boards` ADD `person_wip_limit` integer;--> statement-breakpoint
CREATE INDEX `cards_assigned_idx` ON `cards` (`board_id`) WHERE assignee_ids <> '[]';

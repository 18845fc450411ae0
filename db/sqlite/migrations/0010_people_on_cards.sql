ALTER TABLE `cards` ADD `assignee_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `boards` ADD `person_wip_limit` integer;

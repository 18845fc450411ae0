ALTER TABLE `columns` ADD `split` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `cards` ADD `stage` text DEFAULT 'doing' NOT NULL;
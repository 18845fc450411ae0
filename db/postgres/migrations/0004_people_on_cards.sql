ALTER TABLE "cards" ADD COLUMN "assignee_ids" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "person_wip_limit" integer;

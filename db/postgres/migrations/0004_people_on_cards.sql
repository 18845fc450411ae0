ALTER TABLE "cards" ADD COLUMN "assignee_ids" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "person_wip_limit" integer;--> statement-breakpoint
CREATE INDEX "cards_assigned_idx" ON "cards" USING btree ("board_id") WHERE assignee_ids <> '[]';

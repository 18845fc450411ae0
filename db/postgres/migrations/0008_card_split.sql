ALTER TABLE "cards" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "flow_cards" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "flow_cards" ADD COLUMN "split_at" bigint;--> statement-breakpoint
CREATE INDEX "flow_cards_children_idx" ON "flow_cards" USING btree ("board_id","card_id","parent_id","created_at") WHERE parent_id is not null;

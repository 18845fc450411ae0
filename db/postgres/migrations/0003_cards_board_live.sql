DROP INDEX "cards_board_idx";--> statement-breakpoint
CREATE INDEX "cards_board_live_idx" ON "cards" USING btree ("board_id","column_id","deleted_at");
CREATE TABLE "flow_blocks" (
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"opened_version" integer NOT NULL,
	"column_id" text NOT NULL,
	"reason" text,
	"started_at" bigint NOT NULL,
	"ended_at" bigint,
	CONSTRAINT "flow_blocks_board_id_card_id_opened_version_pk" PRIMARY KEY("board_id","card_id","opened_version")
);
--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "blocked_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "blocked_since" bigint;--> statement-breakpoint
ALTER TABLE "flow_blocks" ADD CONSTRAINT "flow_blocks_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flow_blocks_board_time_idx" ON "flow_blocks" USING btree ("board_id","started_at");--> statement-breakpoint
-- A card blocked before blocked time was kept: its open interval starts at its last block in the log.
UPDATE "cards" SET "blocked_since" = (SELECT max(e."at") FROM "events" e WHERE e."card_id" = "cards"."id" AND e."type" = 'card_updated' AND (e."data"::jsonb -> 'changes' ->> 'blocked') = 'true') WHERE "blocked";--> statement-breakpoint
-- The flow aggregates are recomputed from each board's log at the next start (store.flow.ensureReady), blocked intervals included.
DELETE FROM "card_flow";--> statement-breakpoint
DELETE FROM "flow_counts_hourly";--> statement-breakpoint
DELETE FROM "flow_counts_daily";--> statement-breakpoint
DELETE FROM "flow_cards";--> statement-breakpoint
UPDATE "boards" SET "flow_version" = 0;

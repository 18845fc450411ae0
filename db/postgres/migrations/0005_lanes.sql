CREATE TABLE "lanes" (
	"id" text PRIMARY KEY NOT NULL,
	"board_id" text NOT NULL,
	"name" text NOT NULL,
	"class_of_service" text DEFAULT 'standard' NOT NULL,
	"wip_limit" integer,
	"ord" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"deleted_at" bigint
);
--> statement-breakpoint
CREATE TABLE "lane_column_limits" (
	"lane_id" text NOT NULL,
	"column_id" text NOT NULL,
	"board_id" text NOT NULL,
	"wip_limit" integer NOT NULL,
	CONSTRAINT "lane_column_limits_lane_id_column_id_pk" PRIMARY KEY("lane_id","column_id")
);
--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "lane_id" text;--> statement-breakpoint
ALTER TABLE "lanes" ADD CONSTRAINT "lanes_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lane_column_limits" ADD CONSTRAINT "lane_column_limits_lane_id_lanes_id_fk" FOREIGN KEY ("lane_id") REFERENCES "public"."lanes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lane_column_limits" ADD CONSTRAINT "lane_column_limits_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lanes_board_idx" ON "lanes" USING btree ("board_id","ord");--> statement-breakpoint
CREATE INDEX "lane_column_limits_board_idx" ON "lane_column_limits" USING btree ("board_id");--> statement-breakpoint
-- Every existing board gets its one default lane (lib/shared/domain/lanes.ts defaultLaneId) holding all its cards.
INSERT INTO "lanes" ("id", "board_id", "name", "class_of_service", "wip_limit", "ord", "created_at", "deleted_at") SELECT 'lane-' || "id", "id", 'Standard', 'standard', NULL, 0, "created_at", NULL FROM "boards";--> statement-breakpoint
UPDATE "cards" SET "lane_id" = 'lane-' || "board_id";--> statement-breakpoint
CREATE INDEX "cards_lane_idx" ON "cards" USING btree ("lane_id","column_id","deleted_at");

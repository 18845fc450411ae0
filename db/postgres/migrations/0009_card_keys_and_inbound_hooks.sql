-- Card keys (lib/shared/domain/keys.ts): a number per board, in creation order, never reused. Left nullable as on SQLite (which cannot add a NOT NULL column to rows): every write gives one.
ALTER TABLE "cards" ADD COLUMN "number" integer;--> statement-breakpoint
UPDATE "cards" SET "number" = "r"."n" FROM (SELECT "id", row_number() OVER (PARTITION BY "board_id" ORDER BY "created_at", "id") AS "n" FROM "cards") "r" WHERE "r"."id" = "cards"."id";--> statement-breakpoint
CREATE UNIQUE INDEX "cards_board_number_idx" ON "cards" USING btree ("board_id","number");--> statement-breakpoint
-- The log's card_created events carry the number from now on; those written before get it here, as text (the body stays JSON.stringify's layout).
UPDATE "events" SET "data" = '{"card":{"number":' || CAST("c"."number" AS text) || ',' || substr("events"."data", 10) FROM "cards" "c" WHERE "c"."id" = "events"."card_id" AND "events"."type" = 'card_created' AND substr("events"."data", 1, 9) = '{"card":{';--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "automation_refusal" text;--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "key_prefix" text;--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "hook_mapping" text;--> statement-breakpoint
CREATE TABLE "inbound_hooks" (
	"id" text PRIMARY KEY NOT NULL,
	"board_id" text NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "inbound_hook_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"hook_id" text NOT NULL,
	"board_id" text NOT NULL,
	"at" bigint NOT NULL,
	"provider" text NOT NULL,
	"happening" text,
	"delivery_id" text,
	"card_key" text,
	"outcome" text NOT NULL,
	"code" text,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_deliveries" (
	"hook_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "inbound_deliveries_hook_id_delivery_id_pk" PRIMARY KEY("hook_id","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "alert_cards" (
	"board_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"card_id" text NOT NULL,
	"status" text NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "alert_cards_board_id_fingerprint_pk" PRIMARY KEY("board_id","fingerprint")
);
--> statement-breakpoint
ALTER TABLE "inbound_hooks" ADD CONSTRAINT "inbound_hooks_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_hook_log" ADD CONSTRAINT "inbound_hook_log_hook_id_inbound_hooks_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."inbound_hooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_hook_log" ADD CONSTRAINT "inbound_hook_log_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_deliveries" ADD CONSTRAINT "inbound_deliveries_hook_id_inbound_hooks_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."inbound_hooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_cards" ADD CONSTRAINT "alert_cards_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_hooks_board_idx" ON "inbound_hooks" USING btree ("board_id");--> statement-breakpoint
CREATE INDEX "inbound_hook_log_hook_idx" ON "inbound_hook_log" USING btree ("hook_id","seq");

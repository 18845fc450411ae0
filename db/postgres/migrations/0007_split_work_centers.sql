ALTER TABLE "columns" ADD COLUMN "split" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "stage" text DEFAULT 'doing' NOT NULL;
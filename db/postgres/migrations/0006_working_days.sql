ALTER TABLE "boards" ADD COLUMN "working_days" text;

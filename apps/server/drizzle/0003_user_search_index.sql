CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
DROP INDEX "tasks_search_gin";--> statement-breakpoint
CREATE INDEX "tasks_user_search_gin" ON "tasks" USING gin ("user_id","search");

ALTER TABLE `api_tokens` ADD `scopes` text DEFAULT '["runs:write"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `signing_secret` text;--> statement-breakpoint
CREATE INDEX `api_tokens_created_idx` ON `api_tokens` (`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `workflow_runs` ADD `created_by_token_id` text REFERENCES api_tokens(id);--> statement-breakpoint
CREATE INDEX `runs_token_created_idx` ON `workflow_runs` (`created_by_token_id`,`created_at`,`id`);--> statement-breakpoint
-- hand-written backfill: a run started by a token before this migration names that token as the actor of its run.created event
UPDATE `workflow_runs` SET `created_by_token_id` = (
  SELECT e.`actor_id` FROM `workflow_events` e
  WHERE e.`run_id` = `workflow_runs`.`id` AND e.`type` = 'run.created' AND e.`actor_type` = 'token'
    AND e.`actor_id` IN (SELECT `id` FROM `api_tokens`)
  LIMIT 1
) WHERE `id` IN (SELECT `run_id` FROM `workflow_events` WHERE `type` = 'run.created' AND `actor_type` = 'token');

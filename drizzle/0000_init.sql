CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`step_name` text NOT NULL,
	`round` integer NOT NULL,
	`show_key` text NOT NULL,
	`content_type` text NOT NULL,
	`content` text NOT NULL,
	`status` text NOT NULL,
	`edited_content` text,
	`notes` text,
	`reviewer_id` text,
	`reviewer_name` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`run_id`) REFERENCES `workflow_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkpoints_step_round_unique` ON `checkpoints` (`run_id`,`step_index`,`round`);--> statement-breakpoint
CREATE INDEX `checkpoints_status_created_idx` ON `checkpoints` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `checkpoints_created_idx` ON `checkpoints` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_workflow_step_idx` ON `checkpoints` (`workflow_id`,`step_name`,`created_at`);--> statement-breakpoint
CREATE INDEX `checkpoints_reviewer_idx` ON `checkpoints` (`reviewer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `workflow_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`run_id` text NOT NULL,
	`checkpoint_id` text,
	`from_status` text,
	`to_status` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`actor_name` text NOT NULL,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_run_idx` ON `workflow_events` (`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `workflow_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`status` text NOT NULL,
	`input` text NOT NULL,
	`state` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`round` integer DEFAULT 0 NOT NULL,
	`feedback` text,
	`error` text,
	`idempotency_key` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_runs_idempotency_key_unique` ON `workflow_runs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `workflow_runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_status_created_idx` ON `workflow_runs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_workflow_created_idx` ON `workflow_runs` (`workflow_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `workflow_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`step_name` text NOT NULL,
	`round` integer NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`output` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `workflow_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `steps_run_idx` ON `workflow_steps` (`run_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `steps_completed_once` ON `workflow_steps` (`run_id`,`step_index`,`round`) WHERE status = 'completed';
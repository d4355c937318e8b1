CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` integer NOT NULL,
	`target` text NOT NULL,
	`webhook_id` text,
	`checkpoint_id` text,
	`url` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_target_unique` ON `deliveries` (`event_id`,`target`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_created_idx` ON `deliveries` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `delivery_cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`disabled_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `title` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `source` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `metadata` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `schema` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `allow` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `on_timeout` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `assignee_user_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `assignee_role` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `callback_url` text;--> statement-breakpoint
CREATE INDEX `checkpoints_status_due_idx` ON `checkpoints` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `checkpoints_source_created_idx` ON `checkpoints` (`source`,`created_at`);
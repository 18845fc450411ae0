ALTER TABLE `boards` ADD `working_days` text;

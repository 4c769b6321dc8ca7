"""Project commands; `crawl` here replaces Scrapy's own (COMMANDS_MODULE)."""

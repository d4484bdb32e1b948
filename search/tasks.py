"""Background reindexing, for changes that touch many pages (a renamed theme)."""

from django_tasks import task


@task()
def reindex_pages(page_ids):
    from search.documents import index_pages

    index_pages(page_ids)

"""Comments on tasks, @mentions and watchers.

Public (PUBLIC below): what a task's page shows of the conversation and the comment form,
and who a comment mentions (for its notification)."""

PUBLIC = (
    "service.comments_on",  # the comments on a task, oldest first
    "service.project_members",  # the members a comment may mention, for handles
    "service.can_edit",  # whether a person may still edit a comment
    "service.is_watching",  # whether a person watches a task
    "service.mentioned_in",  # the ids of the members a comment mentions
    "forms.CommentForm",  # the comment box on a task's page
    "service.add_comment",  # post a comment as a person (CommentAdded): a reply by email
)

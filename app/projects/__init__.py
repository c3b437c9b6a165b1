"""Projects, their members and invitations.

Public (PUBLIC below): the project a page is about for the signed-in person (the 404 and 403
rule of every project page), membership and ownership, and the members to choose from."""

PUBLIC = (
    "access",  # load_project, load_project_as_owner_or_member, load_owned_project
    "service.membership",  # a person's membership of a project, or None
    "service.get_project_for_member",  # the project for a member; NotFound for others
    "service.is_owner",  # whether a person owns a project
    "service.members_of",  # a project's members with their accounts, by name
    "service.member_choices",  # the members an assignee is chosen from
    "service.create_project",  # the REST API (app/api)
    "service.project_and_role_for_member",  # the REST API (app/api)
    "service.projects_for_user",  # the REST API (app/api)
    "service.require_owner",  # the REST API (app/api)
    "service.update_project",  # the REST API (app/api)
)

"""Admin pages for the whole site rather than one area of it."""

from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_background_tasks_viewset():
    # Imported as the hook runs: the module registers the task results'
    # permission policy before the viewset looks it up.
    from circles.task_admin import BackgroundTaskViewSet

    return BackgroundTaskViewSet("background-tasks")

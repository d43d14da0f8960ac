from demo_fixtures import no_display, pose_files, video_files  # noqa: F401

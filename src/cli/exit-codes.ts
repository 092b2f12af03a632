/**
 * `run`'s exit code when it ended with events dead-lettered (a replay's verdict, or what a
 * SIGTERM's deadline cut short). Shared by run and its help so the two cannot disagree.
 */
export const EXIT_DEAD_LETTERED = 3;

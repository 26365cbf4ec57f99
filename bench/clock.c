/* bench/clock: prints the monotonic clock in seconds, so that bench/run (POSIX sh, whose
 * `date` has no portable sub-second field) can time commands.  Nothing else. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("clock_gettime");
        return 1;
    }
    printf("%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    return 0;
}

#include "listeners.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// SwiftNIO opens its sockets without close-on-exec. When a node crashes, the Swift runtime
// spawns its backtracer (swift-backtrace), which inherited the listening sockets, and the
// crashing process itself waits for the backtrace (seconds to minutes) before it dies: either
// way the node's ports stayed taken and it could not be restarted. Closing the listening
// sockets first in the signal handler (close is async-signal-safe) frees the ports at once;
// the backtrace is still written.

enum { max_guarded = 16 };
static int guarded[max_guarded];
static volatile sig_atomic_t guarded_count = 0;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT};
static struct sigaction previous[sizeof fatal_signals / sizeof fatal_signals[0]];
// Both listeners call in from their own threads as they come up: one scan at a time, and the
// handler installed once (installed twice, it would find itself as the handler to chain to).
static pthread_mutex_t scanning = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t installation = PTHREAD_ONCE_INIT;

static void on_fatal_signal(int signal_number, siginfo_t *info, void *context) {
    for (int index = 0; index < guarded_count; index++) close(guarded[index]);
    for (size_t index = 0; index < sizeof fatal_signals / sizeof fatal_signals[0]; index++) {
        if (fatal_signals[index] != signal_number) continue;
        struct sigaction *next = &previous[index];
        if ((next->sa_flags & SA_SIGINFO) && next->sa_sigaction != on_fatal_signal) {
            next->sa_sigaction(signal_number, info, context);
        } else if (!(next->sa_flags & SA_SIGINFO) && next->sa_handler != SIG_DFL && next->sa_handler != SIG_IGN) {
            next->sa_handler(signal_number);
        }
        break;
    }
    // The runtime's handler returns once the backtrace is written; a signal sent by another
    // process would then let the node run on without its listeners. Die of the signal instead.
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static void install(void) {
    for (size_t index = 0; index < sizeof fatal_signals / sizeof fatal_signals[0]; index++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_fatal_signal;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&action.sa_mask);
        sigaction(fatal_signals[index], &action, &previous[index]);
    }
}

int jiuzhu_guard_listening_sockets(void) {
    pthread_mutex_lock(&scanning);
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL) {
        pthread_mutex_unlock(&scanning);
        return -1;
    }
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        char *end;
        long descriptor = strtol(entry->d_name, &end, 10);
        // Standard input, output and error stay inherited: the backtracer writes to them.
        if (*end != '\0' || entry->d_name[0] == '\0' || descriptor <= 2 || descriptor == dirfd(directory)) continue;
        int flags = fcntl((int)descriptor, F_GETFD);
        if (flags < 0) continue;
        fcntl((int)descriptor, F_SETFD, flags | FD_CLOEXEC);
        int accepting = 0;
        socklen_t length = sizeof accepting;
        if (getsockopt((int)descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting &&
            count < max_guarded) {
            guarded[count++] = (int)descriptor;
        }
    }
    closedir(directory);
    guarded_count = count;
    pthread_once(&installation, install);
    pthread_mutex_unlock(&scanning);
    return count;
}

/*
 * hera-sandbox: start one workflow node's process in a private filesystem view.
 *
 * The embedded engine compiles this helper once (when a C compiler is present) and starts every leaf
 * node through it with posix_spawn, which is much cheaper than forking the engine's Python process.
 *
 *   hera-sandbox [-o UPPER WORK ROOT] [-b SRC DST]... [-r SRC DST]... [-B SRC DST]... [-c CWD] [-p] [-u] -- ARGV...
 *
 *   -o  mount an overlay of the host root (lower "/") with UPPER/WORK at ROOT, then chroot into ROOT
 *   -b  bind-mount SRC at DST (DST is a path inside the view; created when missing)
 *   -r  like -b but recursive (submounts of SRC come along)
 *   -B  like -b but read-only (the user's code directories)
 *   -c  working directory inside the view (created when missing)
 *   -R  make the host root read-only in this view (without -o: only /tmp and the binds stay writable)
 *   -p  new PID namespace: every process the node starts dies with its main process
 *   -u  new user namespace (unprivileged users): the node runs as root of that namespace
 *
 * Exit status: the main process's (128+N when killed by signal N); 125 when the view cannot be set up
 * (a message goes to stderr); 126/127 when ARGV[0] cannot be executed, as shells report it.
 *
 *   hera-sandbox --server REQ_FD EVENT_FD
 *
 * A fork server: the engine starts it once and sends one request per node on REQ_FD (a SOCK_SEQPACKET
 * socket): a 32-bit token and two 32-bit counts, then the options and ARGV above and the environment as
 * NUL-terminated strings, with stdin, stdout and stderr as SCM_RIGHTS descriptors. The server forks (a
 * small process forks much faster than the engine can spawn, and the node's process skips one exec) and
 * reports on EVENT_FD, as three 32-bit integers: (1, token, pid or -errno) for each request, then
 * (2, pid, wait status) when that process ends. It never answers on REQ_FD, so the engine never waits for
 * it. It dies with the engine: when its parent thread ends or REQ_FD closes; its children die with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_BINDS 256

static const char *bind_src[MAX_BINDS];
static const char *bind_dst[MAX_BINDS];
static int bind_rec[MAX_BINDS];
static int bind_ro[MAX_BINDS];
static int n_binds = 0;
static volatile pid_t child_pid = 0;

static void fail(const char *what, const char *arg) {
    fprintf(stderr, "hera-sandbox: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
    _exit(125);
}

static void mkdirs(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        fail("mkdir", path);
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) fail("mkdir", buf);
            buf[i] = c;
        }
    }
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) fail("open", path);
    if (write(fd, text, strlen(text)) < 0) fail("write", path);
    close(fd);
}

static void forward(int sig) {
    if (child_pid > 0) kill(child_pid, sig);
}

static int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

/* Fork CHILD, forward termination signals to it, and return its exit status code. */
static int wait_forwarding(pid_t pid) {
    int status = 0;
    child_pid = pid;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 125;
    }
    return status_code(status);
}

static void install_forwarders(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
}

static int run(int argc, char **argv) {
    const char *upper = NULL, *work = NULL, *root = NULL, *cwd = NULL;
    int pidns = 0, userns = 0, readonly_root = 0, i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-o") == 0 && i + 3 < argc) {
            upper = argv[++i];
            work = argv[++i];
            root = argv[++i];
        } else if ((strcmp(argv[i], "-b") == 0 || strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "-B") == 0) &&
                   i + 2 < argc) {
            if (n_binds >= MAX_BINDS) {
                errno = E2BIG;
                fail("too many binds", NULL);
            }
            bind_rec[n_binds] = argv[i][1] == 'r';
            bind_ro[n_binds] = argv[i][1] == 'B';
            bind_src[n_binds] = argv[++i];
            bind_dst[n_binds++] = argv[++i];
        } else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
            cwd = argv[++i];
        } else if (strcmp(argv[i], "-p") == 0) {
            pidns = 1;
        } else if (strcmp(argv[i], "-u") == 0) {
            userns = 1;
        } else if (strcmp(argv[i], "-R") == 0) {
            readonly_root = 1;
        } else {
            errno = EINVAL;
            fail("bad option", argv[i]);
        }
    }
    if (i >= argc) {
        errno = EINVAL;
        fail("no command", NULL);
    }
    char **cmd = argv + i;

    /* Die with the engine: the engine's scheduler thread is our parent. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    setsid();

    uid_t uid = geteuid();
    gid_t gid = getegid();
    int flags = CLONE_NEWNS | (pidns ? CLONE_NEWPID : 0) | (userns ? CLONE_NEWUSER : 0);
    if (unshare(flags) != 0) fail("unshare", NULL);
    if (userns) {
        char map[64];
        write_file("/proc/self/setgroups", "deny");
        snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
        write_file("/proc/self/uid_map", map);
        snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
        write_file("/proc/self/gid_map", map);
    }
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("make-private", "/");
    /* Hold every bind source before mounting anything: a bind onto /tmp would hide sources below /tmp. */
    static char bind_fd_path[MAX_BINDS][32];
    for (int b = 0; b < n_binds; b++) {
        int fd = open(bind_src[b], O_PATH | O_CLOEXEC);
        if (fd < 0) continue; /* the bind itself reports the error */
        snprintf(bind_fd_path[b], sizeof(bind_fd_path[b]), "/proc/self/fd/%d", fd);
        bind_src[b] = bind_fd_path[b];
    }

    char target[4096];
    if (upper) {
        char opts[8192];
        snprintf(opts, sizeof(opts), "lowerdir=/,upperdir=%s,workdir=%s", upper, work);
        if (mount("overlay", root, "overlay", 0, opts) != 0) fail("mount overlay at", root);
    }
    for (int b = 0; b < n_binds; b++) {
        snprintf(target, sizeof(target), "%s%s", root ? root : "", bind_dst[b]);
        struct stat st;
        if (stat(bind_src[b], &st) == 0 && !S_ISDIR(st.st_mode)) {
            /* a file bind needs a file mount point */
            char parent[4096];
            snprintf(parent, sizeof(parent), "%s", target);
            char *slash = strrchr(parent, '/');
            if (slash && slash != parent) {
                *slash = '\0';
                mkdirs(parent);
            }
            int fd = open(target, O_WRONLY | O_CREAT, 0644);
            if (fd >= 0) close(fd);
        } else {
            mkdirs(target);
        }
        unsigned long mflags = MS_BIND | (bind_rec[b] ? MS_REC : 0);
        if (mount(bind_src[b], target, NULL, mflags, NULL) != 0) fail("bind", target);
        if (bind_ro[b] && mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
            fail("remount read-only", target);
    }
    if (readonly_root && !root) {
        if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) fail("remount read-only", "/");
    }
    if (root) {
        if (chroot(root) != 0) fail("chroot", root);
        if (chdir("/") != 0) fail("chdir", "/");
    }
    if (cwd) {
        mkdirs(cwd);
        if (chdir(cwd) != 0) fail("chdir", cwd);
    }

    if (pidns) {
        /* We stay outside the new PID namespace; our child is its init and runs the command as its child,
           so that everything the command leaves behind dies when the command ends. */
        pid_t init = fork();
        if (init < 0) fail("fork", NULL);
        if (init > 0) {
            install_forwarders();
            return wait_forwarding(init);
        }
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        pid_t main_pid = fork();
        if (main_pid < 0) fail("fork", NULL);
        if (main_pid > 0) {
            install_forwarders();
            _exit(wait_forwarding(main_pid));
        }
    }
    execvp(cmd[0], cmd);
    int err = errno;
    fprintf(stderr, "hera-sandbox: exec %s: %s\n", cmd[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

#define MAX_REQUEST (1 << 20)

/* Build argv/envp from a request (two int32 counts, then NUL-terminated strings) and run it; never returns. */
static void run_request(char *buf, size_t len) {
    int32_t counts[3];
    if (len < sizeof(counts)) _exit(125);
    memcpy(counts, buf, sizeof(counts));
    int argc = counts[1], envc = counts[2];
    if (argc < 1 || envc < 0 || argc > 100000 || envc > 100000) _exit(125);
    char **argv = calloc((size_t)argc + 2, sizeof(char *));
    char **envp = calloc((size_t)envc + 1, sizeof(char *));
    if (!argv || !envp) _exit(125);
    char *p = buf + sizeof(counts), *end = buf + len;
    argv[0] = "hera-sandbox";
    for (int k = 0; k < argc + envc; k++) {
        char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul) _exit(125);
        if (k < argc) argv[k + 1] = p;
        else envp[k - argc] = p;
        p = nul + 1;
    }
    environ = envp;
    _exit(run(argc + 1, argv));
}

static int serve(int req_fd, int ev_fd) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return 0; /* the engine is already gone */
    fcntl(req_fd, F_SETFD, FD_CLOEXEC);
    fcntl(ev_fd, F_SETFD, FD_CLOEXEC);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) return 1;
    static char buf[MAX_REQUEST];
    for (;;) {
        struct pollfd pfd[2] = {{req_fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (pfd[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
            }
            int status;
            pid_t pid;
            while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
                int32_t msg[3] = {2, (int32_t)pid, (int32_t)status};
                send(ev_fd, msg, sizeof(msg), MSG_NOSIGNAL);
            }
        }
        if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        struct iovec iov = {buf, sizeof(buf)};
        union {
            struct cmsghdr h;
            char b[CMSG_SPACE(3 * sizeof(int))];
        } cm;
        struct msghdr mh;
        memset(&mh, 0, sizeof(mh));
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        mh.msg_control = cm.b;
        mh.msg_controllen = sizeof(cm.b);
        ssize_t n = recvmsg(req_fd, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0; /* the engine closed its end */
        int fds[3] = {-1, -1, -1}, nfds = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                memcpy(fds, CMSG_DATA(c), (size_t)(nfds > 3 ? 3 : nfds) * sizeof(int));
            }
        }
        int32_t answer, token = 0;
        if (n >= 4) memcpy(&token, buf, sizeof(token));
        if (nfds != 3 || n < 12 || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
            answer = -EINVAL;
        } else {
            pid_t pid = fork();
            if (pid == 0) {
                sigprocmask(SIG_UNBLOCK, &mask, NULL);
                for (int k = 0; k < 3; k++) {
                    if (dup2(fds[k], k) < 0) _exit(125);
                }
                run_request(buf, (size_t)n);
            }
            answer = pid > 0 ? (int32_t)pid : -errno;
        }
        for (int k = 0; k < 3 && k < nfds; k++) close(fds[k]);
        int32_t msg[3] = {1, token, answer};
        send(ev_fd, msg, sizeof(msg), MSG_NOSIGNAL);
    }
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--server") == 0) return serve(atoi(argv[2]), atoi(argv[3]));
    return run(argc, argv);
}

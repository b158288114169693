// delayq: a fixed one-way delay for the packets that an iptables NFQUEUE rule sends to NFQUEUE QUEUE.
// This kernel has no netem; the queue holds each packet in the kernel until we give its verdict,
// and we give it DELAY_MS after it arrived, in arrival order. Run it inside the namespace whose
// forward chain queues the packets (testbed.sh delay does both).
//   usage: delayq QUEUE DELAY_MS
// Build: cc -O2 -o delayq delayq.c -lnetfilter_queue -lnfnetlink   (Debian: libnetfilter-queue-dev); bench/testbed.sh delay builds it
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define RING (1u << 20)  // packets held at most; more than a second of 10 Gbit/s in MTU packets

static uint32_t ids[RING];
static uint64_t due[RING];
static uint32_t head, tail;  // ring [head, tail)
static uint64_t delay_ns;
static struct nfq_q_handle *qh;
static volatile sig_atomic_t stop;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *m, struct nfq_data *d, void *x) {
    (void)m; (void)x;
    struct nfqnl_msg_packet_hdr *h = nfq_get_msg_packet_hdr(d);
    if (!h) return 0;
    uint32_t id = ntohl(h->packet_id);
    if (tail - head >= RING) return nfq_set_verdict(q, id, NF_DROP, 0, NULL);  // full: a drop, as a full buffer would
    ids[tail % RING] = id;
    due[tail % RING] = now_ns() + delay_ns;
    tail++;
    return 0;
}

static void release_due(void) {
    uint64_t t = now_ns();
    while (head != tail && due[head % RING] <= t) {
        nfq_set_verdict(qh, ids[head % RING], NF_ACCEPT, 0, NULL);
        head++;
    }
}

static void on_signal(int s) { (void)s; stop = 1; }

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: delayq QUEUE DELAY_MS\n"); return 2; }
    int queue = atoi(argv[1]);
    delay_ns = (uint64_t)(atof(argv[2]) * 1e6);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    struct nfq_handle *h = nfq_open();
    if (!h) { perror("nfq_open"); return 1; }
    qh = nfq_create_queue(h, (uint16_t)queue, on_packet, NULL);
    if (!qh) { perror("nfq_create_queue"); return 1; }
    nfq_set_mode(qh, NFQNL_COPY_META, 0);  // ids only: the payload stays in the kernel
    nfq_set_queue_maxlen(qh, RING);
    int fd = nfq_fd(h);
    int rcv = 64 << 20;
    nfnl_rcvbufsiz(nfq_nfnlh(h), rcv);
    char buf[65536];
    while (!stop) {
        int wait_ms = -1;
        if (head != tail) {
            uint64_t t = now_ns(), d = due[head % RING];
            wait_ms = d > t ? (int)((d - t + 999999) / 1000000) : 0;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, wait_ms);
        if (r > 0 && (p.revents & POLLIN)) {
            for (;;) {  // drain what is there
                int n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n <= 0) {
                    if (n < 0 && errno == ENOBUFS) fprintf(stderr, "delayq: netlink buffer overrun (packets lost)\n");
                    break;
                }
                nfq_handle_packet(h, buf, n);
            }
        }
        release_due();
    }
    while (head != tail) { nfq_set_verdict(qh, ids[head % RING], NF_ACCEPT, 0, NULL); head++; }
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}

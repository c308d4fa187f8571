/*
 * Prints the partition each built-in partitioner picks for keys read on
 * stdin, so tests can compare implementations of the librdkafka C API.
 *
 * Input: one key per line, hex-encoded; "-" is a NULL key, an empty line an
 * empty (non-NULL) key.
 * Output per key and partition count (in the order given on the command
 * line): "<line-no> <count> <murmur2> <consistent> <fnv1a> <murmur2_random>
 * <fnv1a_random> <consistent_random>", with "-" where that partitioner
 * would pick randomly for this key (those calls also need a real topic
 * handle in librdkafka, so they are not made).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#define MAX_KEY 4096
#define MAX_COUNTS 32

static int hexval(int c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

typedef int32_t(partitioner_fn)(const rd_kafka_topic_t *rkt,
                                const void *key,
                                size_t keylen,
                                int32_t partition_cnt,
                                void *rkt_opaque,
                                void *msg_opaque);

static void print_one(partitioner_fn *fn,
                      int deterministic,
                      const void *key,
                      size_t keylen,
                      int32_t cnt) {
        if (deterministic)
                printf(" %d", (int)fn(NULL, key, keylen, cnt, NULL, NULL));
        else
                printf(" -");
}

int main(int argc, char **argv) {
        static char line[2 * MAX_KEY + 16];
        static unsigned char key[MAX_KEY];
        int32_t counts[MAX_COUNTS];
        int ncounts = 0, i;
        long lineno = 0;

        for (i = 1; i < argc && ncounts < MAX_COUNTS; i++) {
                long v = strtol(argv[i], NULL, 10);
                if (v <= 0 || v > 0x7fffffffL) {
                        fprintf(stderr, "bad partition count %s\n", argv[i]);
                        return 2;
                }
                counts[ncounts++] = (int32_t)v;
        }
        if (ncounts == 0) {
                fprintf(stderr, "usage: %s PARTITION_COUNT... < keys\n",
                        argv[0]);
                return 2;
        }

        while (fgets(line, sizeof(line), stdin)) {
                size_t len = strcspn(line, "\r\n");
                const unsigned char *k = key;
                size_t keylen = 0;

                lineno++;
                if (line[len] == '\0' && !feof(stdin)) {
                        fprintf(stderr, "line %ld too long\n", lineno);
                        return 2;
                }
                line[len] = '\0';
                if (!strcmp(line, "-")) {
                        k = NULL;
                } else {
                        if (len % 2) {
                                fprintf(stderr, "odd hex on line %ld\n",
                                        lineno);
                                return 2;
                        }
                        for (keylen = 0; keylen < len / 2; keylen++) {
                                int hi = hexval(line[2 * keylen]);
                                int lo = hexval(line[2 * keylen + 1]);
                                if (hi < 0 || lo < 0) {
                                        fprintf(stderr, "bad hex on line %ld\n",
                                                lineno);
                                        return 2;
                                }
                                key[keylen] = (unsigned char)(hi * 16 + lo);
                        }
                }

                for (i = 0; i < ncounts; i++) {
                        printf("%ld %d", lineno, (int)counts[i]);
                        print_one(rd_kafka_msg_partitioner_murmur2, 1, k,
                                  keylen, counts[i]);
                        print_one(rd_kafka_msg_partitioner_consistent, 1, k,
                                  keylen, counts[i]);
                        print_one(rd_kafka_msg_partitioner_fnv1a, 1, k, keylen,
                                  counts[i]);
                        print_one(rd_kafka_msg_partitioner_murmur2_random,
                                  k != NULL, k, keylen, counts[i]);
                        print_one(rd_kafka_msg_partitioner_fnv1a_random,
                                  k != NULL, k, keylen, counts[i]);
                        print_one(rd_kafka_msg_partitioner_consistent_random,
                                  keylen != 0, k, keylen, counts[i]);
                        printf("\n");
                }
        }
        return ferror(stdin) ? 1 : 0;
}

/*
 * Counting error codes by code, for the producer test programs' summary
 * lines ("dr_errors=NAME:n,NAME:n"): a small table in first-seen order,
 * printed with librdkafka's names. The caller serialises access (the
 * callbacks that count run on the library's threads).
 */
#ifndef FERROKAFKA_TESTS_C_CODE_COUNTS_H
#define FERROKAFKA_TESTS_C_CODE_COUNTS_H

#include <librdkafka/rdkafka.h>
#include <stdio.h>

/* More distinct codes than any run meets; further ones are not counted. */
#define MAX_CODES 64

struct code_count {
        int code;
        int count;
};

static inline void count_code(struct code_count *table, int code) {
        int i;
        for (i = 0; i < MAX_CODES; i++) {
                if (table[i].count && table[i].code == code) {
                        table[i].count++;
                        return;
                }
                if (!table[i].count) {
                        table[i].code  = code;
                        table[i].count = 1;
                        return;
                }
        }
}

/* Prints " LABEL=NAME:n,NAME:n" (nothing after '=' when no code was seen). */
static inline void print_codes(const char *label, const struct code_count *table) {
        int i;
        printf(" %s=", label);
        for (i = 0; i < MAX_CODES && table[i].count; i++)
                printf("%s%s:%d", i ? "," : "",
                       rd_kafka_err2name((rd_kafka_resp_err_t)table[i].code), table[i].count);
}

#endif

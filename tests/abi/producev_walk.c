/*
 * Unit test of the rd_kafka_producev() shim (src/ffi/producev.c) on its
 * own: this file stands in for the Rust side (rd_kafka_produceva() and the
 * error object) and prints what the shim handed over, so the test can
 * check the varargs were unpacked into the right rd_kafka_vu_t fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdkafka.h"

struct rd_kafka_error_s {
        rd_kafka_resp_err_t code;
};

static int destroyed;

rd_kafka_error_t *ferrokafka_error_new_str(rd_kafka_resp_err_t code,
                                           const char *msg) {
        (void)code;
        (void)msg;
        return NULL;
}

rd_kafka_resp_err_t rd_kafka_error_code(const rd_kafka_error_t *error) {
        return error->code;
}

void rd_kafka_error_destroy(rd_kafka_error_t *error) {
        destroyed++;
        free(error);
}

/* Prints every argument; fails with _STATE when asked to via the partition. */
rd_kafka_error_t *
rd_kafka_produceva(rd_kafka_t *rk, const rd_kafka_vu_t *vus, size_t cnt) {
        size_t i;
        int fail = 0;

        printf("rk=%p cnt=%zu\n", (void *)rk, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_vu_t *vu = &vus[i];
                switch (vu->vtype) {
                case RD_KAFKA_VTYPE_TOPIC:
                        printf("topic %s\n", vu->u.cstr);
                        break;
                case RD_KAFKA_VTYPE_RKT:
                        printf("rkt %p\n", (void *)vu->u.rkt);
                        break;
                case RD_KAFKA_VTYPE_PARTITION:
                        printf("partition %d\n", (int)vu->u.i32);
                        fail = vu->u.i32 == 99;
                        break;
                case RD_KAFKA_VTYPE_VALUE:
                case RD_KAFKA_VTYPE_KEY:
                        printf("%s %.*s/%zu\n",
                               vu->vtype == RD_KAFKA_VTYPE_KEY ? "key" : "value",
                               (int)vu->u.mem.size, (const char *)vu->u.mem.ptr,
                               vu->u.mem.size);
                        break;
                case RD_KAFKA_VTYPE_OPAQUE:
                        printf("opaque %p\n", vu->u.ptr);
                        break;
                case RD_KAFKA_VTYPE_MSGFLAGS:
                        printf("msgflags %d\n", vu->u.i);
                        break;
                case RD_KAFKA_VTYPE_TIMESTAMP:
                        printf("timestamp %lld\n", (long long)vu->u.i64);
                        break;
                case RD_KAFKA_VTYPE_HEADER:
                        printf("header %s=%s/%lld\n", vu->u.header.name,
                               (const char *)vu->u.header.val,
                               (long long)vu->u.header.size);
                        break;
                case RD_KAFKA_VTYPE_HEADERS:
                        printf("headers %p\n", (void *)vu->u.headers);
                        break;
                default:
                        printf("unexpected vtype %d\n", (int)vu->vtype);
                }
        }
        if (fail) {
                rd_kafka_error_t *error = malloc(sizeof(*error));
                error->code = RD_KAFKA_RESP_ERR__STATE;
                return error;
        }
        return NULL;
}

int main(void) {
        rd_kafka_resp_err_t err;
        int i;

        err = rd_kafka_producev(
            (rd_kafka_t *)0x10, RD_KAFKA_V_TOPIC("orders"),
            RD_KAFKA_V_RKT((rd_kafka_topic_t *)0x20),
            RD_KAFKA_V_PARTITION(7), RD_KAFKA_V_VALUE("payload", 7),
            RD_KAFKA_V_KEY("k1", 2), RD_KAFKA_V_OPAQUE((void *)0x30),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_TIMESTAMP(1234567890123LL),
            RD_KAFKA_V_HEADER("h", "v", -1),
            RD_KAFKA_V_HEADERS((rd_kafka_headers_t *)0x40), RD_KAFKA_V_END);
        printf("result %d destroyed %d\n", (int)err, destroyed);

        /* A failure from produceva() becomes its code; the object is freed. */
        err = rd_kafka_producev((rd_kafka_t *)0x10, RD_KAFKA_V_PARTITION(99),
                                RD_KAFKA_V_END);
        printf("result %d destroyed %d\n", (int)err, destroyed);

        /* An unknown tag stops the walk: its arguments cannot be sized. */
        err = rd_kafka_producev((rd_kafka_t *)0x10, RD_KAFKA_V_PARTITION(1),
                                (rd_kafka_vtype_t)42, RD_KAFKA_V_END);
        printf("unknown tag %d\n", (int)err);

        /* 64 arguments are accepted, 65 are not. */
        for (i = 64; i <= 65; i++) {
#define P RD_KAFKA_V_MSGFLAGS(0)
#define P8 P, P, P, P, P, P, P, P
                if (i == 64)
                        err = rd_kafka_producev(
                            (rd_kafka_t *)0x10, P8, P8, P8, P8, P8, P8, P8, P8,
                            RD_KAFKA_V_END);
                else
                        err = rd_kafka_producev(
                            (rd_kafka_t *)0x10, P8, P8, P8, P8, P8, P8, P8, P8,
                            P, RD_KAFKA_V_END);
                printf("%d args %d\n", i, (int)err);
        }
        return 0;
}

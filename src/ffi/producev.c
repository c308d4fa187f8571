/*
 * The C API's variadic functions, which stable Rust cannot define. Each one
 * only unpacks its arguments and hands them to a Rust function; all
 * behaviour lives on the Rust side. Prototypes: src/ffi/variadic.rs.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "rdkafka.h"

/* Upper bound on one rd_kafka_producev() call's tagged arguments. A message
 * needs about ten; the rest is room for headers. Bounded so the array can
 * live on the stack and a missing RD_KAFKA_V_END cannot run away. */
#define PRODUCEV_MAX_ARGS 64

/* Rust side of rd_kafka_error_new() (src/ffi/error.rs); kept out of the
 * public header on purpose. */
rd_kafka_error_t *ferrokafka_error_new_str(rd_kafka_resp_err_t code,
                                           const char *msg);

rd_kafka_resp_err_t rd_kafka_producev(rd_kafka_t *rk, ...) {
        rd_kafka_vu_t vus[PRODUCEV_MAX_ARGS];
        size_t cnt = 0;
        rd_kafka_error_t *error;
        rd_kafka_resp_err_t err;
        va_list ap;
        int vtype;

        va_start(ap, rk);
        /* Enum arguments travel through varargs as int. */
        while ((vtype = va_arg(ap, int)) != RD_KAFKA_VTYPE_END) {
                rd_kafka_vu_t *vu;

                if (cnt == PRODUCEV_MAX_ARGS) {
                        va_end(ap);
                        return RD_KAFKA_RESP_ERR__INVALID_ARG;
                }
                vu        = &vus[cnt++];
                vu->vtype = (rd_kafka_vtype_t)vtype;

                switch (vtype) {
                case RD_KAFKA_VTYPE_TOPIC:
                        vu->u.cstr = va_arg(ap, const char *);
                        break;
                case RD_KAFKA_VTYPE_RKT:
                        vu->u.rkt = va_arg(ap, rd_kafka_topic_t *);
                        break;
                case RD_KAFKA_VTYPE_PARTITION:
                        vu->u.i32 = va_arg(ap, int32_t);
                        break;
                case RD_KAFKA_VTYPE_VALUE:
                case RD_KAFKA_VTYPE_KEY:
                        vu->u.mem.ptr  = va_arg(ap, void *);
                        vu->u.mem.size = va_arg(ap, size_t);
                        break;
                case RD_KAFKA_VTYPE_OPAQUE:
                        vu->u.ptr = va_arg(ap, void *);
                        break;
                case RD_KAFKA_VTYPE_MSGFLAGS:
                        vu->u.i = va_arg(ap, int);
                        break;
                case RD_KAFKA_VTYPE_TIMESTAMP:
                        vu->u.i64 = va_arg(ap, int64_t);
                        break;
                case RD_KAFKA_VTYPE_HEADER:
                        vu->u.header.name = va_arg(ap, const char *);
                        vu->u.header.val  = va_arg(ap, const void *);
                        vu->u.header.size = va_arg(ap, ssize_t);
                        break;
                case RD_KAFKA_VTYPE_HEADERS:
                        vu->u.headers = va_arg(ap, rd_kafka_headers_t *);
                        break;
                default:
                        /* The size of what follows is unknown, so the
                         * rest of the list cannot be walked. */
                        va_end(ap);
                        return RD_KAFKA_RESP_ERR__INVALID_ARG;
                }
        }
        va_end(ap);

        error = rd_kafka_produceva(rk, vus, cnt);
        if (!error)
                return RD_KAFKA_RESP_ERR_NO_ERROR;
        err = rd_kafka_error_code(error);
        rd_kafka_error_destroy(error);
        return err;
}

rd_kafka_error_t *
rd_kafka_error_new(rd_kafka_resp_err_t code, const char *fmt, ...) {
        rd_kafka_error_t *error;
        va_list ap, ap2;
        char *msg;
        int len;

        if (!fmt)
                return ferrokafka_error_new_str(code, NULL);

        va_start(ap, fmt);
        va_copy(ap2, ap);
        len = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);

        msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
        if (msg)
                vsnprintf(msg, (size_t)len + 1, fmt, ap2);
        va_end(ap2);

        /* A bad format or no memory still yields an error object, just
         * one carrying the code's description. */
        error = ferrokafka_error_new_str(code, msg);
        free(msg);
        return error;
}

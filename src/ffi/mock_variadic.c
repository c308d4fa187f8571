/*
 * The mock cluster API's variadic functions, which stable Rust cannot
 * define. Each only gathers its arguments into arrays and hands them to
 * Rust (src/ffi/mock.rs), where all behaviour lives.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "rdkafka.h"
#include "rdkafka_mock.h"

/* Rust side of rd_kafka_mock_broker_push_request_error_rtts(); kept out
 * of the public header on purpose. */
rd_kafka_resp_err_t ferrokafka_mock_broker_push_request_errors(
    rd_kafka_mock_cluster_t *mcluster, int32_t broker_id, int16_t ApiKey,
    size_t cnt, const rd_kafka_resp_err_t *errors, const int *rtts);

void rd_kafka_mock_push_request_errors(rd_kafka_mock_cluster_t *mcluster,
                                       int16_t ApiKey, size_t cnt, ...) {
        rd_kafka_resp_err_t *errors;
        va_list ap;
        size_t i;

        if (cnt == 0)
                return;
        errors = malloc(cnt * sizeof(*errors));
        if (!errors)
                return;
        va_start(ap, cnt);
        /* Enum arguments travel through varargs as int. */
        for (i = 0; i < cnt; i++)
                errors[i] = (rd_kafka_resp_err_t)va_arg(ap, int);
        va_end(ap);
        rd_kafka_mock_push_request_errors_array(mcluster, ApiKey, cnt, errors);
        free(errors);
}

rd_kafka_resp_err_t
rd_kafka_mock_broker_push_request_error_rtts(rd_kafka_mock_cluster_t *mcluster,
                                             int32_t broker_id, int16_t ApiKey,
                                             size_t cnt, ...) {
        rd_kafka_resp_err_t *errors = NULL, err;
        int *rtts = NULL;
        va_list ap;
        size_t i;

        if (cnt > 0) {
                errors = malloc(cnt * sizeof(*errors));
                rtts   = malloc(cnt * sizeof(*rtts));
                if (!errors || !rtts) {
                        free(errors);
                        free(rtts);
                        return RD_KAFKA_RESP_ERR__FAIL;
                }
        }
        va_start(ap, cnt);
        for (i = 0; i < cnt; i++) {
                errors[i] = (rd_kafka_resp_err_t)va_arg(ap, int);
                rtts[i]   = va_arg(ap, int);
        }
        va_end(ap);
        err = ferrokafka_mock_broker_push_request_errors(
            mcluster, broker_id, ApiKey, cnt, errors, rtts);
        free(errors);
        free(rtts);
        return err;
}

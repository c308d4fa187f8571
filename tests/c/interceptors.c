/*
 * Registers every interceptor librdkafka 2.0.2 has, produces and consumes
 * through BOOTSTRAP, and prints what the interceptors saw as "name value"
 * lines: call counts, the thread each ran on, and orderings rdkafka.h
 * promises. Built against ferrokafka and against Debian's librdkafka, the
 * two outputs must be identical (librdkafka is the judge of semantics).
 * The first line names the library (not compared). Exit 0 unless a call
 * the program needs fails.
 *
 *   interceptors BOOTSTRAP TOPIC
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#define N_MSGS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t app_thread;

static struct {
        int conf_set, conf_set_claimed, conf_dup, conf_destroy, on_new;
        int on_new_before_return;
        int on_destroy, threads_live_at_destroy;
        int send, send_off_app, send_partition_ua, send_key_ok;
        int ack, ack_on_app, ack_before_dr, dr, ack_err;
        int consume, consume_off_app, consume_before_app;
        int commit, commit_on_app, commit_err, commit_offset;
        int req, req_apiversion_first, req_metadata, req_produce, req_fetch;
        int resp, resp_err, resp_rtt_ok;
        int tstart, tstart_main, tstart_broker, tstart_off_app, texit, texit_main;
        int bsc, bsc_up, bsc_init_first;
        int dup_add_conflict, dup_destroy_ok, client_dup_conflict;
        char states[256];
} seen;

static int returned_from_new;
static int app_seen_msgs;
static char greeting[64];

#define WITH_LOCK(stmt)                                                        \
        do {                                                                   \
                pthread_mutex_lock(&lock);                                     \
                stmt;                                                          \
                pthread_mutex_unlock(&lock);                                   \
        } while (0)

static int on_app(void) {
        return pthread_equal(pthread_self(), app_thread);
}

static rd_kafka_conf_res_t ic_conf_set(rd_kafka_conf_t *conf,
                                       const char *name,
                                       const char *val,
                                       char *errstr,
                                       size_t errstr_size,
                                       void *ic_opaque) {
        (void)conf;
        (void)ic_opaque;
        seen.conf_set++;
        if (strcmp(name, "myplugin.greeting"))
                return RD_KAFKA_CONF_UNKNOWN;
        seen.conf_set_claimed++;
        if (!val || !*val) {
                snprintf(errstr, errstr_size, "greeting must not be empty");
                return RD_KAFKA_CONF_INVALID;
        }
        snprintf(greeting, sizeof(greeting), "%s", val);
        return RD_KAFKA_CONF_OK;
}

static rd_kafka_resp_err_t ic_conf_destroy(void *ic_opaque) {
        (void)ic_opaque;
        WITH_LOCK(seen.conf_destroy++);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_new(rd_kafka_t *rk,
                                     const rd_kafka_conf_t *conf,
                                     void *ic_opaque,
                                     char *errstr,
                                     size_t errstr_size);

static void add_conf_interceptors(rd_kafka_conf_t *conf);

static rd_kafka_resp_err_t ic_conf_dup(rd_kafka_conf_t *new_conf,
                                       const rd_kafka_conf_t *old_conf,
                                       size_t filter_cnt,
                                       const char **filter,
                                       void *ic_opaque) {
        (void)old_conf;
        (void)filter_cnt;
        (void)filter;
        (void)ic_opaque;
        seen.conf_dup++;
        add_conf_interceptors(new_conf);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static void add_conf_interceptors(rd_kafka_conf_t *conf) {
        rd_kafka_conf_interceptor_add_on_conf_set(conf, "test", ic_conf_set, NULL);
        rd_kafka_conf_interceptor_add_on_conf_dup(conf, "test", ic_conf_dup, NULL);
        rd_kafka_conf_interceptor_add_on_conf_destroy(conf, "test", ic_conf_destroy, NULL);
        rd_kafka_conf_interceptor_add_on_new(conf, "test", ic_on_new, NULL);
}

static rd_kafka_resp_err_t ic_on_destroy(rd_kafka_t *rk, void *ic_opaque) {
        (void)rk;
        (void)ic_opaque;
        WITH_LOCK(seen.on_destroy++;
                  seen.threads_live_at_destroy = seen.tstart - seen.texit);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_send(rd_kafka_t *rk, rd_kafka_message_t *m, void *ic_opaque) {
        (void)rk;
        (void)ic_opaque;
        WITH_LOCK(seen.send++; seen.send_off_app += !on_app();
                  seen.send_partition_ua += m->partition == RD_KAFKA_PARTITION_UA;
                  seen.send_key_ok += m->key_len == 3 && !memcmp(m->key, "key", 3));
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_ack(rd_kafka_t *rk, rd_kafka_message_t *m, void *ic_opaque) {
        (void)rk;
        (void)ic_opaque;
        WITH_LOCK(seen.ack++; seen.ack_on_app += on_app(); seen.ack_err += m->err != 0);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_consume(rd_kafka_t *rk, rd_kafka_message_t *m, void *ic_opaque) {
        (void)rk;
        (void)m;
        (void)ic_opaque;
        WITH_LOCK(seen.consume++; seen.consume_off_app += !on_app());
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_commit(rd_kafka_t *rk,
                                        const rd_kafka_topic_partition_list_t *offsets,
                                        rd_kafka_resp_err_t err,
                                        void *ic_opaque) {
        int i;
        (void)rk;
        (void)ic_opaque;
        pthread_mutex_lock(&lock);
        seen.commit++;
        seen.commit_on_app += on_app();
        seen.commit_err += err != 0;
        for (i = 0; offsets && i < offsets->cnt; i++)
                if (offsets->elems[i].offset == N_MSGS)
                        seen.commit_offset++;
        pthread_mutex_unlock(&lock);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_request_sent(rd_kafka_t *rk,
                                              int sockfd,
                                              const char *brokername,
                                              int32_t brokerid,
                                              int16_t ApiKey,
                                              int16_t ApiVersion,
                                              int32_t CorrId,
                                              size_t size,
                                              void *ic_opaque) {
        (void)rk;
        (void)sockfd;
        (void)brokername;
        (void)brokerid;
        (void)ApiVersion;
        (void)CorrId;
        (void)size;
        (void)ic_opaque;
        WITH_LOCK(if (seen.req == 0) seen.req_apiversion_first = ApiKey == 18;
                  seen.req++; seen.req_metadata += ApiKey == 3;
                  seen.req_produce += ApiKey == 0; seen.req_fetch += ApiKey == 1);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_response_received(rd_kafka_t *rk,
                                                   int sockfd,
                                                   const char *brokername,
                                                   int32_t brokerid,
                                                   int16_t ApiKey,
                                                   int16_t ApiVersion,
                                                   int32_t CorrId,
                                                   size_t size,
                                                   int64_t rtt,
                                                   rd_kafka_resp_err_t err,
                                                   void *ic_opaque) {
        (void)rk;
        (void)sockfd;
        (void)brokername;
        (void)brokerid;
        (void)ApiKey;
        (void)ApiVersion;
        (void)CorrId;
        (void)size;
        (void)ic_opaque;
        WITH_LOCK(seen.resp++; seen.resp_err += err != 0;
                  seen.resp_rtt_ok += err != 0 || rtt >= 0);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_thread_start(rd_kafka_t *rk,
                                           rd_kafka_thread_type_t type,
                                           const char *name,
                                           void *ic_opaque) {
        (void)rk;
        (void)name;
        (void)ic_opaque;
        WITH_LOCK(seen.tstart++; seen.tstart_main += type == RD_KAFKA_THREAD_MAIN;
                  seen.tstart_broker += type == RD_KAFKA_THREAD_BROKER;
                  seen.tstart_off_app += !on_app());
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_thread_exit(rd_kafka_t *rk,
                                          rd_kafka_thread_type_t type,
                                          const char *name,
                                          void *ic_opaque) {
        (void)rk;
        (void)name;
        (void)ic_opaque;
        WITH_LOCK(seen.texit++; seen.texit_main += type == RD_KAFKA_THREAD_MAIN);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_broker_state(rd_kafka_t *rk,
                                           int32_t broker_id,
                                           const char *secproto,
                                           const char *name,
                                           int port,
                                           const char *state,
                                           void *ic_opaque) {
        (void)rk;
        (void)broker_id;
        (void)name;
        (void)port;
        (void)ic_opaque;
        pthread_mutex_lock(&lock);
        if (seen.bsc == 0)
                seen.bsc_init_first = !strcmp(state, "INIT") && !strcmp(secproto, "plaintext");
        seen.bsc++;
        seen.bsc_up += !strcmp(state, "UP");
        /* First occurrence order of the states, over every broker. */
        {
                char key[40];
                snprintf(key, sizeof(key), " %s", state);
                if (!strstr(seen.states, key) &&
                    strlen(seen.states) + strlen(key) < sizeof(seen.states))
                        strcat(seen.states, key);
        }
        pthread_mutex_unlock(&lock);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_new(rd_kafka_t *rk,
                                     const rd_kafka_conf_t *conf,
                                     void *ic_opaque,
                                     char *errstr,
                                     size_t errstr_size) {
        (void)conf;
        (void)ic_opaque;
        (void)errstr;
        (void)errstr_size;
        seen.on_new++;
        seen.on_new_before_return += !returned_from_new;
        rd_kafka_interceptor_add_on_destroy(rk, "test", ic_on_destroy, NULL);
        rd_kafka_interceptor_add_on_send(rk, "test", ic_on_send, NULL);
        seen.client_dup_conflict +=
            rd_kafka_interceptor_add_on_send(rk, "test", ic_on_send, NULL) ==
            RD_KAFKA_RESP_ERR__CONFLICT;
        rd_kafka_interceptor_add_on_acknowledgement(rk, "test", ic_on_ack, NULL);
        rd_kafka_interceptor_add_on_consume(rk, "test", ic_on_consume, NULL);
        rd_kafka_interceptor_add_on_commit(rk, "test", ic_on_commit, NULL);
        rd_kafka_interceptor_add_on_request_sent(rk, "test", ic_on_request_sent, NULL);
        rd_kafka_interceptor_add_on_response_received(rk, "test", ic_on_response_received,
                                                      NULL);
        rd_kafka_interceptor_add_on_thread_start(rk, "test", ic_thread_start, NULL);
        rd_kafka_interceptor_add_on_thread_exit(rk, "test", ic_thread_exit, NULL);
        rd_kafka_interceptor_add_on_broker_state_change(rk, "test", ic_broker_state, NULL);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s=%s: %s\n", name, value, errstr);
                exit(2);
        }
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)m;
        (void)opaque;
        WITH_LOCK(seen.dr++; seen.ack_before_dr += seen.ack >= seen.dr);
}

static void reset(void) {
        memset(&seen, 0, sizeof(seen));
        returned_from_new = 0;
}

#define SHOW(field) printf("%s %s %d\n", phase, #field, seen.field)

static void configuration_phase(void) {
        const char *phase = "conf";
        rd_kafka_conf_t *conf = rd_kafka_conf_new(), *copy;
        char errstr[256];

        reset();
        add_conf_interceptors(conf);
        seen.dup_add_conflict =
            rd_kafka_conf_interceptor_add_on_conf_set(conf, "test", ic_conf_set, NULL) ==
            RD_KAFKA_RESP_ERR__CONFLICT;
        /* Another name, same function: a different method. */
        printf("conf add_same_function_other_name %d\n",
               rd_kafka_conf_interceptor_add_on_conf_set(conf, "other", ic_conf_set, NULL));
        seen.dup_destroy_ok = rd_kafka_conf_interceptor_add_on_conf_destroy(
                                  conf, "test", ic_conf_destroy, NULL) == 0;
        printf("conf claimed_set %d\n",
               rd_kafka_conf_set(conf, "myplugin.greeting", "hello", errstr, sizeof(errstr)));
        printf("conf greeting %s\n", greeting);
        printf("conf claimed_invalid %d %s\n",
               rd_kafka_conf_set(conf, "myplugin.greeting", "", errstr, sizeof(errstr)),
               errstr);
        printf("conf builtin_set %d\n",
               rd_kafka_conf_set(conf, "client.id", "ic", errstr, sizeof(errstr)));
        printf("conf unknown_set %d\n",
               rd_kafka_conf_set(conf, "no.such.property", "1", errstr, sizeof(errstr)));
        SHOW(conf_set);
        SHOW(conf_set_claimed);
        seen.conf_set = 0;
        copy = rd_kafka_conf_dup(conf);
        SHOW(conf_dup);
        printf("conf sets_during_dup %d\n", seen.conf_set);
        printf("conf copy_claims %d\n",
               rd_kafka_conf_set(copy, "myplugin.greeting", "copy", errstr, sizeof(errstr)));
        rd_kafka_conf_destroy(copy);
        SHOW(conf_destroy);
        rd_kafka_conf_destroy(conf);
        SHOW(conf_destroy);
        SHOW(dup_add_conflict);
        SHOW(dup_destroy_ok);
}

static void producer_phase(const char *bootstrap, const char *topic) {
        const char *phase = "producer";
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        char errstr[256];
        int i;

        reset();
        add_conf_interceptors(conf);
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "linger.ms", "1");
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        returned_from_new = 1;
        SHOW(on_new);
        SHOW(on_new_before_return);
        SHOW(client_dup_conflict);
        for (i = 0; i < N_MSGS; i++) {
                int before;
                rd_kafka_resp_err_t err;
                pthread_mutex_lock(&lock);
                before = seen.send;
                pthread_mutex_unlock(&lock);
                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY("key", 3),
                                        RD_KAFKA_V_VALUE("value", 5), RD_KAFKA_V_END);
                if (err) {
                        fprintf(stderr, "producev: %s\n", rd_kafka_err2str(err));
                        exit(2);
                }
                pthread_mutex_lock(&lock);
                if (seen.send != before + 1)
                        printf("producer on_send_not_inside_produce %d\n", i);
                pthread_mutex_unlock(&lock);
        }
        if (rd_kafka_flush(rk, 30000)) {
                fprintf(stderr, "flush timed out\n");
                exit(2);
        }
        SHOW(send);
        SHOW(send_off_app);
        SHOW(send_partition_ua);
        SHOW(send_key_ok);
        SHOW(ack);
        SHOW(ack_on_app);
        SHOW(ack_err);
        SHOW(dr);
        SHOW(ack_before_dr);
        printf("%s req_apiversion_first %d\n", phase, seen.req_apiversion_first);
        printf("%s req_metadata_seen %d\n", phase, seen.req_metadata > 0);
        printf("%s req_produce_seen %d\n", phase, seen.req_produce > 0);
        printf("%s resp_seen %d\n", phase, seen.resp > 0);
        printf("%s resp_rtt_ok %d\n", phase, seen.resp_rtt_ok == seen.resp);
        printf("%s tstart_main %d\n", phase, seen.tstart_main);
        printf("%s tstart_broker_seen %d\n", phase, seen.tstart_broker > 0);
        printf("%s tstart_off_app %d\n", phase, seen.tstart_off_app == seen.tstart);
        printf("%s bsc_init_first %d\n", phase, seen.bsc_init_first);
        printf("%s bsc_up_seen %d\n", phase, seen.bsc_up > 0);
        printf("%s states%s\n", phase, seen.states);
        rd_kafka_destroy(rk);
        SHOW(on_destroy);
        printf("%s threads_live_at_destroy %d\n", phase, seen.threads_live_at_destroy > 0);
        printf("%s texit_eq_tstart %d\n", phase, seen.texit == seen.tstart);
        SHOW(texit_main);
        SHOW(conf_destroy);
        SHOW(consume);
        SHOW(commit);
}

static void consumer_phase(const char *bootstrap, const char *topic) {
        const char *phase = "consumer";
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_topic_partition_list_t *topics;
        rd_kafka_t *rk;
        char errstr[256];
        int tries = 0;

        reset();
        add_conf_interceptors(conf);
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "group.id", "interceptors");
        set(conf, "auto.offset.reset", "earliest");
        set(conf, "enable.auto.commit", "false");
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        rd_kafka_poll_set_consumer(rk);
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        while (app_seen_msgs < N_MSGS && tries++ < 600) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (!m->err) {
                        app_seen_msgs++;
                        WITH_LOCK(seen.consume_before_app += seen.consume >= app_seen_msgs);
                }
                rd_kafka_message_destroy(m);
        }
        printf("%s app_seen %d\n", phase, app_seen_msgs);
        SHOW(consume);
        SHOW(consume_off_app);
        SHOW(consume_before_app);
        printf("%s commit_result %d\n", phase, rd_kafka_commit(rk, NULL, 0));
        pthread_mutex_lock(&lock);
        SHOW(commit);
        SHOW(commit_on_app);
        SHOW(commit_err);
        SHOW(commit_offset);
        printf("%s req_fetch_seen %d\n", phase, seen.req_fetch > 0);
        SHOW(send);
        SHOW(ack);
        pthread_mutex_unlock(&lock);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        SHOW(on_destroy);
        printf("%s texit_eq_tstart %d\n", phase, seen.texit == seen.tstart);
}

int main(int argc, char **argv) {
        if (argc != 3) {
                fprintf(stderr, "usage: interceptors BOOTSTRAP TOPIC\n");
                return 2;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        app_thread = pthread_self();
        printf("library %s\n", rd_kafka_version_str());
        configuration_phase();
        producer_phase(argv[1], argv[2]);
        consumer_phase(argv[1], argv[2]);
        printf("thread_cnt_after %d\n", rd_kafka_thread_cnt());
        return 0;
}

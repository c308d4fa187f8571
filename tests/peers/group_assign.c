/*
 * Test peer: the assignment librdkafka's own assignors produce.
 *
 * Usage: group_assign BOOTSTRAP STRATEGY GROUP MEMBER...
 *   MEMBER is INSTANCE/TOPIC[,TOPIC...], INSTANCE "-" for a dynamic member.
 *
 * Runs one consumer per MEMBER in this process, all in GROUP with
 * partition.assignment.strategy STRATEGY, and polls them in turn until the
 * group settles: every consumer has been assigned, the assignments cover
 * what the members subscribe to exactly once, and no rebalance happened for
 * a while. Then prints one line per consumer:
 *   MEMBER <member id> <instance or -> <topic:partition,...>
 * Exits 1 if the group does not settle within 60 seconds.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#define MAX_MEMBERS 8
/* Poll rounds without a rebalance before the group counts as settled. */
#define QUIET_ROUNDS 20

static int rebalances;

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
        int *assigned = opaque;
        rebalances++;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_assign(rk, parts);
                *assigned = 1;
        } else {
                rd_kafka_assign(rk, NULL);
                *assigned = 0;
        }
}

static rd_kafka_t *new_consumer(const char *bootstrap, const char *strategy,
                                const char *group, const char *instance,
                                int *assigned) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        const char *props[][2] = {
            {"bootstrap.servers", bootstrap},
            {"group.id", group},
            {"partition.assignment.strategy", strategy},
            {"session.timeout.ms", "6000"},
            {"heartbeat.interval.ms", "500"},
            {"enable.auto.commit", "false"},
        };
        size_t i;
        rd_kafka_t *rk;

        for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
                if (rd_kafka_conf_set(conf, props[i][0], props[i][1], errstr,
                                      sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s: %s\n", props[i][0], errstr);
                        exit(2);
                }
        if (strcmp(instance, "-") &&
            rd_kafka_conf_set(conf, "group.instance.id", instance, errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "group.instance.id: %s\n", errstr);
                exit(2);
        }
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        rd_kafka_conf_set_opaque(conf, assigned);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        rd_kafka_poll_set_consumer(rk);
        return rk;
}

/* Whether every subscribed, existing partition is assigned exactly once. */
static int covers_once(rd_kafka_t **rks, int n, char **subscriptions) {
        const struct rd_kafka_metadata *md;
        int t, m, i, want = 0, have = 0;

        if (rd_kafka_metadata(rks[0], 1, NULL, &md, 5000))
                return 0;
        for (t = 0; t < md->topic_cnt; t++) {
                for (m = 0; m < n; m++) {
                        char list[512], *tok, *save;
                        int subscribed = 0;
                        snprintf(list, sizeof(list), "%s", subscriptions[m]);
                        for (tok = strtok_r(list, ",", &save); tok;
                             tok = strtok_r(NULL, ",", &save))
                                subscribed |= !strcmp(tok, md->topics[t].topic);
                        if (subscribed) {
                                want += md->topics[t].partition_cnt;
                                break;
                        }
                }
        }
        for (m = 0; m < n; m++) {
                rd_kafka_topic_partition_list_t *a;
                if (rd_kafka_assignment(rks[m], &a))
                        continue;
                for (i = 0; i < a->cnt; i++) {
                        int owners = 0, o, j;
                        for (o = 0; o < n; o++) {
                                rd_kafka_topic_partition_list_t *b;
                                if (rd_kafka_assignment(rks[o], &b))
                                        continue;
                                for (j = 0; j < b->cnt; j++)
                                        owners += !strcmp(b->elems[j].topic,
                                                          a->elems[i].topic) &&
                                                  b->elems[j].partition ==
                                                      a->elems[i].partition;
                                rd_kafka_topic_partition_list_destroy(b);
                        }
                        have += owners == 1;
                }
                rd_kafka_topic_partition_list_destroy(a);
        }
        rd_kafka_metadata_destroy(md);
        return want > 0 && have == want;
}

int main(int argc, char **argv) {
        rd_kafka_t *rks[MAX_MEMBERS];
        int assigned[MAX_MEMBERS] = {0};
        char *instances[MAX_MEMBERS], *subscriptions[MAX_MEMBERS];
        int n = argc - 4, m, quiet = 0, last_rebalances = -1;
        time_t deadline = time(NULL) + 60;

        if (n < 1 || n > MAX_MEMBERS) {
                fprintf(stderr,
                        "usage: %s BOOTSTRAP STRATEGY GROUP INSTANCE/TOPICS...\n",
                        argv[0]);
                return 2;
        }
        for (m = 0; m < n; m++) {
                char *slash = strchr(argv[4 + m], '/');
                rd_kafka_topic_partition_list_t *topics;
                char list[512], *tok, *save;
                if (!slash) {
                        fprintf(stderr, "bad member %s\n", argv[4 + m]);
                        return 2;
                }
                *slash           = '\0';
                instances[m]     = argv[4 + m];
                subscriptions[m] = slash + 1;
                rks[m] = new_consumer(argv[1], argv[2], argv[3], instances[m],
                                      &assigned[m]);
                topics = rd_kafka_topic_partition_list_new(4);
                snprintf(list, sizeof(list), "%s", subscriptions[m]);
                for (tok = strtok_r(list, ",", &save); tok;
                     tok = strtok_r(NULL, ",", &save))
                        rd_kafka_topic_partition_list_add(topics, tok,
                                                          RD_KAFKA_PARTITION_UA);
                if (rd_kafka_subscribe(rks[m], topics)) {
                        fprintf(stderr, "subscribe failed\n");
                        return 2;
                }
                rd_kafka_topic_partition_list_destroy(topics);
        }

        while (time(NULL) < deadline) {
                int all = 1;
                for (m = 0; m < n; m++) {
                        rd_kafka_message_t *msg =
                            rd_kafka_consumer_poll(rks[m], 50);
                        if (msg)
                                rd_kafka_message_destroy(msg);
                        all &= assigned[m];
                }
                if (rebalances != last_rebalances) {
                        last_rebalances = rebalances;
                        quiet           = 0;
                        continue;
                }
                if (all && ++quiet >= QUIET_ROUNDS &&
                    covers_once(rks, n, subscriptions))
                        break;
        }
        if (time(NULL) >= deadline) {
                fprintf(stderr, "group did not settle\n");
                return 1;
        }

        for (m = 0; m < n; m++) {
                rd_kafka_topic_partition_list_t *a;
                char *id = rd_kafka_memberid(rks[m]);
                int i;
                printf("MEMBER %s %s ", id ? id : "?", instances[m]);
                rd_kafka_mem_free(rks[m], id);
                if (!rd_kafka_assignment(rks[m], &a)) {
                        for (i = 0; i < a->cnt; i++)
                                printf("%s%s:%d", i ? "," : "",
                                       a->elems[i].topic,
                                       (int)a->elems[i].partition);
                        rd_kafka_topic_partition_list_destroy(a);
                }
                printf("\n");
        }
        fflush(stdout);
        /* Closing leaves the group one member at a time; destroying is enough. */
        for (m = 0; m < n; m++)
                rd_kafka_destroy(rks[m]);
        return 0;
}

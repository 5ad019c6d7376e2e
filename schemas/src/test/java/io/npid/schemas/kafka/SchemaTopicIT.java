package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.serde.SchemaHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Writers register schemas in the compacted schemas topic; another process's view finds them there. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SchemaTopicIT {

    @Test
    void shouldFindASchemaAnotherProcessRegisteredAndNoOther(final EmbeddedKafkaBroker broker) throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        final Map<String, Object> client =
                Map.of("bootstrap.servers", broker.bootstrapServers(), "npid.some.setting", "ignored");
        final Schema next = withExtraField(ImageEvent.getClassSchema());

        try (SchemaTopic writer = SchemaTopic.open(topics, client)) {
            writer.register(next);
        }
        try (SchemaTopic reader = SchemaTopic.open(topics, client)) {
            assertEquals(Optional.of(next), reader.find(SchemaHistory.fingerprint(next)));
            assertEquals(Optional.empty(), reader.find(0x1234_5678_9abc_def0L), "nobody registered it");
            assertEquals(
                    Optional.of(ImageEvent.getClassSchema()),
                    reader.find(SchemaHistory.fingerprint(ImageEvent.getClassSchema())),
                    "open registers its own");
        }
        try (Admin admin = broker.createAdmin()) {
            final TopicDescription description = admin.describeTopics(
                            List.of(topics.schemas().name()))
                    .allTopicNames()
                    .get()
                    .get(topics.schemas().name());
            assertEquals(1, description.partitions().size());
            final ConfigResource resource = new ConfigResource(
                    ConfigResource.Type.TOPIC, topics.schemas().name());
            assertEquals(
                    "compact",
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("cleanup.policy")
                            .value());
        }
    }

    private static Schema withExtraField(final Schema schema) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("camera", Schema.create(Schema.Type.STRING), "added later", "unknown"));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}

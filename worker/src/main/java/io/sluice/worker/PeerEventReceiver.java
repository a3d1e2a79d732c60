package io.sluice.worker;

import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.cluster.NotDeployedException;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.proto.DataChunk;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.PushDataResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of peer streams: each event of a batch goes to the engine (which counts an edge
 * once, so resends are harmless) and the batch is acked with every event id. An event of a workflow
 * not deployed here (yet) is answered as {@code retry_ids}: its sender keeps it and sends it again
 * later, or to the part's new holder. A malformed event, or one the engine refuses otherwise, is
 * logged, counted and acked all the same, so the sender does not resend it forever; the stream
 * stays open. A batch without a sender or sequence ends the stream with INVALID_ARGUMENT.
 */
final class PeerEventReceiver extends PeerServiceGrpc.PeerServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(PeerEventReceiver.class);

  private final WorkerEngine engine;
  private final io.sluice.faastore.grpc.PeerDataHandler data;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();

  private final PartMoves moves;

  PeerEventReceiver(
      WorkerEngine engine, io.sluice.faastore.grpc.PeerDataHandler data, PartMoves moves) {
    this.engine = engine;
    this.data = data;
    this.moves = moves;
  }

  @Override
  public void dropInstanceData(
      io.sluice.proto.DropInstanceDataRequest request,
      StreamObserver<io.sluice.proto.DropInstanceDataResponse> response) {
    if (data != null) {
      data.dropInstanceData(request, response);
    } else {
      response.onNext(io.sluice.proto.DropInstanceDataResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  long received() {
    return received.get();
  }

  long rejected() {
    return rejected.get();
  }

  /** Events refused for now (workflow not deployed here) and left with their sender. */
  long deferred() {
    return deferred.get();
  }

  @Override
  public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> acks) {
    return new StreamObserver<>() {
      private volatile boolean ended;

      @Override
      public void onNext(EventBatch batch) {
        if (ended) {
          return;
        }
        if (batch.getSenderWorkerId().isEmpty() || batch.getSequence() <= 0) {
          ended = true;
          GrpcErrors.fail(
              acks,
              new IllegalArgumentException(
                  "EventBatch needs sender_worker_id and a sequence > 0, got sender '"
                      + batch.getSenderWorkerId()
                      + "' and sequence "
                      + batch.getSequence()));
          return;
        }
        List<String> ids = new ArrayList<>(batch.getEventsCount());
        List<String> retry = null;
        WireMapper.JsonMemo memo = new WireMapper.JsonMemo();
        io.sluice.cluster.durable.Journal journal = moves.journal();
        List<EdgeEvent> accepted =
            journal.enabled() ? new ArrayList<>(batch.getEventsCount()) : null;
        for (CloudEvent ce : batch.getEventsList()) {
          EdgeEvent e;
          try {
            e = accept(batch.getSenderWorkerId(), ce, memo);
          } catch (NotDeployedException notYet) {
            if (retry == null) {
              retry = new ArrayList<>(2);
            }
            retry.add(ce.getId());
            continue;
          }
          if (e != null && accepted != null) {
            accepted.add(e);
          }
          ids.add(ce.getId());
        }
        if (retry != null) {
          long total = deferred.addAndGet(retry.size());
          if (Long.highestOneBit(total) > Long.highestOneBit(total - retry.size())) {
            // at 1, 2, 4, 8, ... such events in all: a resend every backoff is not a new fact
            LOG.warn(
                "worker {}: {} edge events from {} are for a workflow not deployed here (yet); the"
                    + " sender keeps them and sends them again (first: {}; {} such in all)",
                engine.workerId(),
                retry.size(),
                batch.getSenderWorkerId(),
                retry.get(0),
                total);
          }
        }
        EventAck ack =
            EventAck.newBuilder()
                .setSequence(batch.getSequence())
                .addAllEventIds(ids)
                .addAllRetryIds(retry == null ? List.of() : retry)
                .build();
        if (accepted == null || accepted.isEmpty()) {
          send(ack);
          return;
        }
        // Durable: acked only once recorded, so that a worker dying before that leaves the
        // events with their sender, which sends them again to the part's new holder.
        journal
            .accepted(accepted)
            .whenComplete(
                (ok, ex) -> {
                  if (ex == null) {
                    send(ack);
                  } else {
                    LOG.warn(
                        "worker {}: {} edge events from {} not recorded, not acked (the sender"
                            + " resends them): {}",
                        engine.workerId(),
                        accepted.size(),
                        batch.getSenderWorkerId(),
                        ex.getMessage());
                  }
                });
      }

      private void send(EventAck ack) {
        synchronized (acks) {
          if (!ended) {
            acks.onNext(ack);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        ended = true; // the sender went away; it resends what it has no ack for
      }

      @Override
      public void onCompleted() {
        synchronized (acks) {
          if (!ended) {
            ended = true;
            acks.onCompleted();
          }
        }
      }
    };
  }

  /**
   * Hands an event to the engine; answers it if the engine took it. Throws {@link
   * NotDeployedException} for an event of a workflow not deployed here: the sender keeps it.
   */
  private EdgeEvent accept(String sender, CloudEvent ce, WireMapper.JsonMemo memo) {
    try {
      EdgeEvent e = WireMapper.edgeEvent(ce, memo);
      if (moves.fenced(e.instanceId(), sender)) {
        rejected.incrementAndGet();
        LOG.warn(
            "refused event '{}' from worker {}: it was declared dead and its part of instance {}"
                + " moved (fenced)",
            ce.getId(),
            sender,
            e.instanceId());
        return null;
      }
      PeerTraces.joined(ce, e.instanceId());
      engine.receive(e);
      received.incrementAndGet();
      return e;
    } catch (NotDeployedException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      rejected.incrementAndGet();
      LOG.warn(
          "dropped event '{}' from worker {} on worker {} (acked so it is not resent): {}",
          ce.getId(),
          sender,
          engine.workerId(),
          ex.getMessage());
      return null;
    }
  }

  @Override
  public StreamObserver<DataChunk> pushData(StreamObserver<PushDataResponse> response) {
    if (data != null) {
      return data.pushData(response);
    }
    response.onError(
        Status.UNIMPLEMENTED
            .withDescription("PushData: this worker runs without FaaStore")
            .asRuntimeException());
    return new StreamObserver<>() {
      @Override
      public void onNext(DataChunk value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public void fetchData(FetchDataRequest request, StreamObserver<DataChunk> response) {
    if (request.getKey().isEmpty() || request.getOffset() < 0) {
      GrpcErrors.fail(
          response,
          new IllegalArgumentException(
              "FetchData needs a key (instance/node/key) and an offset >= 0"));
      return;
    }
    if (data != null) {
      data.fetchData(request, response);
      return;
    }
    response.onError(
        Status.UNIMPLEMENTED
            .withDescription("FetchData: this worker runs without FaaStore")
            .asRuntimeException());
  }
}

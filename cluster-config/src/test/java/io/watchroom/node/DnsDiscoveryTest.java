package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Cluster Bootstrap with DNS discovery, as a deployment behind a headless service uses it: a DNS
 * server on loopback answers the SRV query for the nodes' management port ({@code
 * _management._tcp.<service>}) with two contact points, and two nodes that know nothing of each
 * other but that name form one cluster. Nothing but the discovery method and the name server
 * differs from the configuration a deployment runs.
 */
class DnsDiscoveryTest {

  private static final String SERVICE = "watchroom.cluster.test";

  @TempDir Path dataDir;

  @Test
  void twoNodesFindEachOtherThroughSrvRecordsAndFormOneCluster() throws Exception {
    int[] management = {freePort(), freePort()};
    try (LoopbackDns dns = new LoopbackDns(SERVICE, management)) {
      List<WatchroomNode> nodes = new ArrayList<>();
      try {
        for (int port : management) {
          nodes.add(WatchroomNode.start(config(port, dns.port())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!nodes.stream().allMatch(n -> upMembers(n) == 2)) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no cluster of two formed; DNS queries answered: " + dns.answered.get()
                + ", members seen: " + nodes.stream().map(DnsDiscoveryTest::upMembers).toList());
          }
          Thread.sleep(200);
        }
        assertEquals(
            Cluster.get(nodes.get(0).system()).state().getLeader(),
            Cluster.get(nodes.get(1).system()).state().getLeader(),
            "one cluster");
      } finally {
        for (WatchroomNode node : nodes) {
          node.close();
        }
      }
    }
  }

  private Config config(int managementPort, int dnsPort) {
    Config node =
        TestNodes.config(
            dataDir,
            Map.of(
                "watchroom.database.kind", "h2",
                "watchroom.cluster.bootstrap", true,
                "watchroom.management.enabled", true,
                "watchroom.management.interface", "127.0.0.1",
                "watchroom.management.port", managementPort,
                "watchroom.discovery.method", "pekko-dns",
                "watchroom.discovery.service-name", SERVICE,
                "watchroom.discovery.required-contact-points", 2));
    return ConfigFactory.parseString(
            """
            pekko.io.dns.resolver = async-dns
            pekko.io.dns.async-dns {
              nameservers = ["127.0.0.1:%d"]
              search-domains = []
              ndots = 1
            }
            pekko.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
            """
                .formatted(dnsPort))
        .withFallback(node)
        .resolve();
  }

  private static long upMembers(WatchroomNode node) {
    return java.util.stream.StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .count();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * A DNS server on a loopback UDP port with the records of a headless service: one SRV record per
   * node for {@code _management._tcp.<service>}, pointing at {@code localhost}, with its address.
   */
  private static final class LoopbackDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Name srvName;
    private final int[] ports;
    final AtomicInteger answered = new AtomicInteger();

    LoopbackDns(String service, int[] ports) throws IOException {
      this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      this.srvName = Name.fromString("_management._tcp." + service + ".");
      this.ports = ports;
      Thread server = new Thread(this::serve, "loopback-dns");
      server.setDaemon(true);
      server.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      byte[] buffer = new byte[512];
      while (!socket.isClosed()) {
        try {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          socket.receive(packet);
          byte[] reply = answer(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()))).toWire(512);
          socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        } catch (SocketException closed) {
          return;
        } catch (IOException malformed) {
          // a query this server cannot read is not answered, as with a lost packet
        }
      }
    }

    private Message answer(Message query) throws IOException {
      Record question = query.getQuestion();
      Message reply = new Message(query.getHeader().getID());
      reply.getHeader().setFlag(Flags.QR);
      reply.getHeader().setFlag(Flags.AA);
      reply.addRecord(question, Section.QUESTION);
      Name localhost = Name.fromString("localhost.");
      ARecord address = new ARecord(localhost, DClass.IN, 5, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      if (question.getType() == Type.SRV && question.getName().equals(srvName)) {
        for (int port : ports) {
          reply.addRecord(new SRVRecord(srvName, DClass.IN, 5, 0, 50, port, localhost), Section.ANSWER);
        }
        reply.addRecord(address, Section.ADDITIONAL);
      } else if (question.getType() == Type.A && question.getName().equals(localhost)) {
        reply.addRecord(address, Section.ANSWER);
      } else if (question.getType() != Type.AAAA || !question.getName().equals(localhost)) {
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      answered.incrementAndGet();
      return reply;
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}

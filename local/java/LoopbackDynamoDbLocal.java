import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local bound to one address (the local runtime's QM_BIND, 127.0.0.1 by default).
 *
 * AWS's DynamoDBLocal.jar has no host option: its Jetty server listens on every interface, so
 * anyone on the network could read and write the developer's data. This launcher builds the
 * server exactly as the jar's own main does, sets the host on Jetty's connectors before they
 * open, and starts it.
 *
 * Usage: LoopbackDynamoDbLocal [-host 127.0.0.1] <DynamoDB Local's own options>
 *
 * It also exits when its standard input reaches end of file: the local runtime holds the other
 * end of that pipe, so when the runtime dies (even by kill -9) DynamoDB Local does not outlive it.
 * Once listening it prints READY_LINE, so the runtime knows its own child answers on the port.
 */
public final class LoopbackDynamoDbLocal {
  static final String READY_LINE = "QM-DYNAMODB-LOCAL-READY";

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    List<String> passOn = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if ("-host".equals(args[i]) && i + 1 < args.length) host = args[++i];
      else passOn.add(args[i]);
    }
    startParentWatchdog();

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(passOn.toArray(new String[0]));
    Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
    serverField.setAccessible(true);
    Server jetty = (Server) serverField.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost(host);
        bound++;
      }
    }
    if (bound == 0) fail("found no Jetty ServerConnector to bind to " + host, null);

    try {
      proxy.start();
    } catch (Exception e) {
      // Port taken, address not on this machine: say so and exit instead of lingering half-started.
      fail("could not listen on " + host, e);
    }
    System.out.println(READY_LINE + " " + host);
    System.out.flush();
    proxy.join();
  }

  private static void startParentWatchdog() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                  // The runtime never writes; anything read is ignored.
                }
              } catch (Exception ignored) {
                // A broken pipe means the same as end of file: the parent is gone.
              }
              System.err.println("LoopbackDynamoDbLocal: parent process gone (stdin closed); exiting");
              System.exit(0);
            },
            "qm-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void fail(String message, Exception cause) {
    System.err.println("LoopbackDynamoDbLocal: " + message + (cause == null ? "" : ": " + cause));
    System.exit(1);
  }
}

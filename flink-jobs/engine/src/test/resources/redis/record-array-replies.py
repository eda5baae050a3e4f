#!/usr/bin/env python3
"""Records array-replies.pcap: a real redis-server (7.0) answering one client connection whose
ordinary array replies look like pub/sub messages and confirmations, then real subscribed mode.

As root, with redis-server on port 16379:
  tcpdump -i lo -U --immediate-mode -s 0 -w array-replies.pcap tcp port 16379 & python3 record-array-replies.py; kill %1
"""
import socket
import time

PORT = 16379


def command(*words):
    out = b"*%d\r\n" % len(words)
    for word in words:
        data = word.encode()
        out += b"$%d\r\n%s\r\n" % (len(data), data)
    return out


def exchange(connection, *words, settle=0.2):
    connection.sendall(command(*words))
    # Replies are read until the server is quiet: this client does not parse them, the dissector does.
    time.sleep(settle)
    connection.setblocking(False)
    try:
        while connection.recv(1 << 20):
            pass
    except BlockingIOError:
        pass
    connection.setblocking(True)


client = socket.create_connection(("127.0.0.1", PORT))
publisher = socket.create_connection(("127.0.0.1", PORT))
exchange(publisher, "FLUSHALL")
# COMMAND DOCS lists the commands asked for in that order: the reply starts with "subscribe".
exchange(client, "COMMAND", "DOCS", "subscribe", "get")
exchange(client, "RPUSH", "pushlike", "message", "news", "hello")
exchange(client, "LRANGE", "pushlike", "0", "-1")
exchange(client, "RPUSH", "confirmlike", "subscribe", "news", "1")
exchange(client, "LRANGE", "confirmlike", "0", "-1")
exchange(client, "SET", "user:1", "alice")
exchange(client, "GET", "user:1")
exchange(client, "SUBSCRIBE", "news", "other")
exchange(publisher, "PUBLISH", "news", "hi")
time.sleep(0.2)
exchange(client, "PING")
exchange(client, "UNSUBSCRIBE")
exchange(client, "LRANGE", "pushlike", "0", "-1")
exchange(client, "GET", "user:1")
client.close()
publisher.close()
time.sleep(0.2)

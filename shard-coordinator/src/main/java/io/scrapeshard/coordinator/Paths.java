package io.scrapeshard.coordinator;

/** The ZooKeeper layout under one cluster's root. */
record Paths(String root) {

  String members() {
    return root + "/members";
  }

  String member(String id) {
    return members() + "/" + id;
  }

  String epochs() {
    return root + "/epochs";
  }

  String leader() {
    return root + "/leader";
  }

  /** The member id of a member node path, or null for any other path. */
  String memberIdOf(String path) {
    String prefix = members() + "/";
    return path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0
        ? path.substring(prefix.length())
        : null;
  }
}

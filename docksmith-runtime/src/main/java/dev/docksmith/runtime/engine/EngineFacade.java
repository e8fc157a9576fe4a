package dev.docksmith.runtime.engine;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.spi.DockerEngine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The narrow {@link DockerEngine} plugins see, over the runtime's own client. */
public final class EngineFacade implements DockerEngine {
    private final DockerClient docker;

    public EngineFacade(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public List<ContainerInfo> containers() {
        return docker.containers(true);
    }

    @Override
    public ContainerInfo container(String nameOrId) {
        return docker.container(nameOrId);
    }

    @Override
    public void start(String id) {
        docker.startContainer(id);
    }

    @Override
    public void stop(String id, Duration timeout) {
        docker.stopContainer(id, timeout);
    }

    @Override
    public void rename(String id, String newName) {
        docker.renameContainer(id, newName);
    }

    @Override
    public void remove(String id, boolean force) {
        docker.removeContainer(id, force, false);
    }

    @Override
    public String inspectJson(String nameOrId) {
        return Json.text(docker.inspectContainer(nameOrId));
    }

    @Override
    public String inspectImageJson(String nameOrId) {
        return Json.text(docker.inspectImage(nameOrId));
    }

    @Override
    public String create(String name, String createBodyJson) {
        return docker.createContainer(name, Json.parse(createBodyJson.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void pull(String reference) {
        docker.pullImage(reference, progress -> { });
    }
}

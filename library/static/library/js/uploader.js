/*
 * Video uploader of the media library admin (library/admin/videos.py).
 *
 * S3 mode: the file is cut into parts sent in parallel straight to the bucket
 * with presigned URLs; Django only signs URLs and checks the result. Local
 * mode: chunks are PUT to Django one after the other. In both modes the
 * session id is kept in localStorage under the file's name, size and date, so
 * selecting the same file again after a dropped connection or a closed tab
 * asks the server what already arrived and sends only the rest. Cancel aborts
 * the upload on the server (the parts are deleted).
 */
function libraryUploader() {
    "use strict";

    const root = document.querySelector("[data-library-uploader]");
    if (!root) {
        return;
    }
    const config = JSON.parse(document.getElementById("library-uploader-config").textContent);
    const strings = config.strings;
    const input = root.querySelector("[data-library-files]");
    const collection = root.querySelector("[data-library-collection]");
    const list = root.querySelector("[data-library-list]");
    const rowTemplate = document.querySelector("template[data-library-row]");
    const MAX_RETRIES = 5;

    function csrfToken() {
        const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        if (match) {
            return decodeURIComponent(match[1]);
        }
        const field = document.querySelector("input[name=csrfmiddlewaretoken]");
        return field ? field.value : (window.wagtailConfig && window.wagtailConfig.CSRF_TOKEN) || "";
    }

    async function api(method, url, body) {
        const options = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } };
        if (body !== undefined) {
            options.headers["Content-Type"] = "application/json";
            options.body = JSON.stringify(body);
        }
        let response;
        try {
            response = await fetch(url, options);
        } catch (error) {
            return { ok: false, status: 0, data: { error: strings.network, code: "network" } };
        }
        let data = {};
        try {
            data = await response.json();
        } catch (error) {
            data = { error: `${strings.error} (${response.status})` };
        }
        return { ok: response.ok, status: response.status, data };
    }

    function formatDuration(seconds) {
        if (!isFinite(seconds) || seconds < 0) {
            return "–";
        }
        const minutes = Math.floor(seconds / 60);
        const rest = Math.round(seconds % 60);
        return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
    }

    function formatSpeed(bytesPerSecond) {
        if (bytesPerSecond > 1024 * 1024) {
            return `${(bytesPerSecond / 1024 / 1024).toFixed(1)} Mio/s`;
        }
        return `${Math.round(bytesPerSecond / 1024)} Kio/s`;
    }

    function sleep(ms) {
        return new Promise((resolve) => setTimeout(resolve, ms));
    }

    /* One file being uploaded: its row, its progress and its cancellation. */
    class Upload {
        constructor(file) {
            this.file = file;
            this.key = `library-upload:${file.name}:${file.size}:${file.lastModified}`;
            this.row = rowTemplate.content.firstElementChild.cloneNode(true);
            this.row.querySelector("[data-name]").textContent = file.name;
            this.row.querySelector("[data-cancel]").addEventListener("click", () => this.cancel());
            list.querySelector("tbody").appendChild(this.row);
            list.hidden = false;
            this.loadedByPart = new Map();
            this.baseLoaded = 0;
            this.samples = [];
            this.requests = new Set();
            this.cancelled = false;
            this.session = null;
        }

        setState(state, text) {
            this.row.dataset.state = state;
            this.row.querySelector("[data-status]").textContent = text;
            if (["ready", "failed", "cancelled", "error", "processing"].includes(state)) {
                this.row.querySelector("[data-cancel]").hidden = true;
            }
        }

        loaded() {
            let total = this.baseLoaded;
            this.loadedByPart.forEach((value) => {
                total += value;
            });
            return Math.min(total, this.file.size);
        }

        render() {
            const loaded = this.loaded();
            const percent = this.file.size ? Math.floor((loaded / this.file.size) * 100) : 100;
            this.row.querySelector("[data-progress]").value = percent;
            this.row.querySelector("[data-percent]").textContent = `${percent}%`;
            const now = performance.now();
            this.samples.push([now, loaded]);
            while (this.samples.length > 2 && now - this.samples[0][0] > 5000) {
                this.samples.shift();
            }
            const [firstTime, firstLoaded] = this.samples[0];
            const elapsed = (now - firstTime) / 1000;
            if (elapsed > 0.2) {
                const speed = (loaded - firstLoaded) / elapsed;
                const left = speed > 0 ? (this.file.size - loaded) / speed : Infinity;
                this.row.querySelector("[data-speed]").textContent =
                    `${formatSpeed(speed)} · ${strings.timeLeft.replace("%(time)s", formatDuration(left))}`;
            }
        }

        async start() {
            if (this.file.size > config.maxSize) {
                this.setState("error", strings.tooLarge.replace("%(limit)s", `${Math.round(config.maxSize / 1024 ** 3)} Gio`));
                return;
            }
            try {
                await this.openSession();
                if (!this.session) {
                    return;
                }
                this.setState("uploading", strings.uploading);
                if (this.session.mode === "s3") {
                    await this.sendParts();
                } else {
                    await this.sendChunks();
                }
                if (this.cancelled) {
                    return;
                }
                this.baseLoaded = this.file.size;
                this.loadedByPart.clear();
                this.render();
                this.setState("checking", strings.checking);
                const result = await api("POST", this.session.urls.finalize);
                localStorage.removeItem(this.key);
                if (!result.ok) {
                    this.setState("error", result.data.error);
                    return;
                }
                this.showVideo(result.data.video);
                this.poll();
            } catch (error) {
                if (!this.cancelled) {
                    this.setState("error", error.message || strings.error);
                }
            }
        }

        async openSession() {
            const saved = localStorage.getItem(this.key);
            if (saved) {
                const status = await api("GET", config.statusUrl.replace("00000000-0000-0000-0000-000000000000", saved));
                if (status.ok && status.data.state === "open") {
                    this.session = status.data;
                    this.setState("uploading", strings.resumed);
                    return;
                }
                localStorage.removeItem(this.key);
            }
            const created = await api("POST", config.createUrl, {
                filename: this.file.name,
                size: this.file.size,
                collection: collection ? Number(collection.value) : null,
            });
            if (!created.ok) {
                this.setState("error", created.data.error);
                return;
            }
            this.session = created.data;
            localStorage.setItem(this.key, this.session.id);
        }

        partLength(number) {
            const size = this.session.part_size;
            return Math.min(size, this.file.size - (number - 1) * size);
        }

        async sendParts() {
            const count = Math.max(1, Math.ceil(this.file.size / this.session.part_size));
            const present = new Set();
            (this.session.parts || []).forEach((part) => {
                if (part.size === this.partLength(part.number)) {
                    present.add(part.number);
                    this.baseLoaded += part.size;
                }
            });
            const queue = [];
            for (let number = 1; number <= count; number += 1) {
                if (!present.has(number)) {
                    queue.push(number);
                }
            }
            this.render();
            const urls = new Map();
            const sign = async (number) => {
                if (!urls.has(number)) {
                    const batch = queue.filter((n) => !urls.has(n)).slice(0, 20);
                    if (!batch.includes(number)) {
                        batch.unshift(number);
                    }
                    const signed = await api("POST", this.session.urls.parts, { parts: batch });
                    if (!signed.ok) {
                        throw new Error(signed.data.error);
                    }
                    Object.entries(signed.data.urls).forEach(([n, url]) => urls.set(Number(n), url));
                }
                return urls.get(number);
            };
            const pending = queue.slice();
            const worker = async () => {
                while (pending.length && !this.cancelled) {
                    const number = pending.shift();
                    const start = (number - 1) * this.session.part_size;
                    const blob = this.file.slice(start, start + this.partLength(number));
                    await this.withRetries(async () => this.put(await sign(number), blob, number));
                }
            };
            const workers = [];
            for (let index = 0; index < Math.min(config.parallel, queue.length); index += 1) {
                workers.push(worker());
            }
            await Promise.all(workers);
        }

        async sendChunks() {
            let offset = this.session.received || 0;
            this.baseLoaded = offset;
            const size = this.session.chunk_size;
            while (offset < this.file.size && !this.cancelled) {
                const blob = this.file.slice(offset, offset + size);
                const url = `${this.session.urls.chunk}?offset=${offset}`;
                const response = await this.withRetries(() => this.put(url, blob, "chunk", true));
                const received = JSON.parse(response).received;
                offset = received;
                this.baseLoaded = received;
                this.loadedByPart.clear();
                this.render();
            }
        }

        async withRetries(action) {
            for (let attempt = 0; ; attempt += 1) {
                try {
                    return await action();
                } catch (error) {
                    if (this.cancelled || error.fatal || attempt >= MAX_RETRIES) {
                        throw error;
                    }
                    this.setState("uploading", strings.network);
                    await sleep(Math.min(30000, 1000 * 2 ** attempt));
                    this.setState("uploading", strings.uploading);
                }
            }
        }

        put(url, blob, partKey, sameOrigin) {
            return new Promise((resolve, reject) => {
                const request = new XMLHttpRequest();
                this.requests.add(request);
                request.open("PUT", url);
                if (sameOrigin) {
                    request.setRequestHeader("X-CSRFToken", csrfToken());
                    request.setRequestHeader("Content-Type", "application/octet-stream");
                }
                request.upload.onprogress = (event) => {
                    this.loadedByPart.set(partKey, event.loaded);
                    this.render();
                };
                request.onload = () => {
                    this.requests.delete(request);
                    if (request.status >= 200 && request.status < 300) {
                        if (!sameOrigin) {
                            this.loadedByPart.delete(partKey);
                            this.baseLoaded += blob.size;
                            this.render();
                        }
                        resolve(request.responseText);
                    } else if (sameOrigin && request.status === 409) {
                        resolve(request.responseText); // the server says where to resume
                    } else {
                        this.loadedByPart.delete(partKey);
                        const error = new Error(`${strings.error} (${request.status})`);
                        error.fatal = request.status >= 400 && request.status < 500 && request.status !== 408;
                        try {
                            error.message = JSON.parse(request.responseText).error || error.message;
                        } catch (ignored) {
                            // S3 answers XML; keep the status
                        }
                        reject(error);
                    }
                };
                request.onerror = () => {
                    this.requests.delete(request);
                    this.loadedByPart.delete(partKey);
                    reject(new Error(strings.network));
                };
                request.onabort = () => {
                    this.requests.delete(request);
                    reject(new Error(strings.cancelled));
                };
                request.send(blob);
            });
        }

        async cancel() {
            this.cancelled = true;
            this.requests.forEach((request) => request.abort());
            localStorage.removeItem(this.key);
            if (this.session) {
                await api("POST", this.session.urls.abort);
            }
            this.setState("cancelled", strings.cancelled);
        }

        showVideo(video) {
            const link = document.createElement("a");
            link.href = video.edit_url;
            link.textContent = strings.edit;
            link.dataset.videoId = video.id;
            this.row.querySelector("[data-name]").append(" — ", link);
            this.updateVideoState(video.status);
        }

        updateVideoState(status) {
            const labels = { pending: strings.processing, processing: strings.processing, ready: strings.ready, failed: strings.failed };
            this.setState(status === "pending" || status === "processing" ? "processing" : status, labels[status] || status);
        }

        async poll() {
            for (let attempt = 0; attempt < 720; attempt += 1) {
                await sleep(attempt < 10 ? 1000 : 5000);
                const status = await api("GET", this.session.urls.status);
                if (status.ok && status.data.video) {
                    this.updateVideoState(status.data.video.status);
                    if (["ready", "failed"].includes(status.data.video.status)) {
                        return;
                    }
                }
            }
        }
    }

    input.addEventListener("change", () => {
        const files = Array.from(input.files);
        input.value = "";
        // Two files at a time: each already sends its parts in parallel.
        const uploads = files.map((file) => new Upload(file));
        let next = 0;
        const run = async () => {
            while (next < uploads.length) {
                const upload = uploads[next];
                next += 1;
                await upload.start();
            }
        };
        run();
        run();
    });
}

// Wagtail's admin loads page scripts before the page body: wait for it.
if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", libraryUploader);
} else {
    libraryUploader();
}

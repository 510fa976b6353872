/* Field evidence on the engineer's phone (docs/user-guide/service.md):
 * - form[data-check-in]: "到达现场" asks the browser for the position (with the user's consent) and
 *   sends it, or the refusal, with the check-in; the time is the server's.
 * - input[data-resize]: photos from the camera are scaled down on the phone (canvas, longest side
 *   1600 px, JPEG) before upload; the EXIF block of a JPEG (time and GPS position, the evidence) is
 *   carried over into the smaller file, its orientation set to "upright" since the canvas has turned it.
 * - canvas[data-signature]: the customer draws the signature (signature_pad); the form sends it as PNG,
 *   with the position if the browser gives it.
 */
(function () {
  "use strict";
  var MAX_SIDE = 1600;

  function locate(form, done) {
    var set = function (name, value) {
      var input = form.querySelector("[name=" + name + "]");
      if (input) input.value = value;
    };
    if (!navigator.geolocation) { set("position", "unavailable"); done(); return; }
    navigator.geolocation.getCurrentPosition(function (fix) {
      set("position", "granted");
      set("latitude", fix.coords.latitude.toFixed(6));
      set("longitude", fix.coords.longitude.toFixed(6));
      set("accuracy", Math.round(fix.coords.accuracy || 0));
      done();
    }, function (error) {
      set("position", error && error.code === 1 ? "refused" : "unavailable");
      done();
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }

  function busy(form, on) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = on; });
  }

  // --- check-in -------------------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-check-in]") || form.dataset.located) return;
    event.preventDefault();
    busy(form, true);
    locate(form, function () { form.dataset.located = "1"; form.submit(); });
  });

  // --- photos ---------------------------------------------------------------------------------------
  function exifSegment(bytes) {
    if (bytes[0] !== 0xFF || bytes[1] !== 0xD8) return null;
    var i = 2;
    while (i + 4 < bytes.length && bytes[i] === 0xFF) {
      var marker = bytes[i + 1], length = (bytes[i + 2] << 8) | bytes[i + 3];
      if (marker === 0xE1 && String.fromCharCode.apply(null, bytes.subarray(i + 4, i + 8)) === "Exif") {
        var segment = bytes.slice(i, i + 2 + length);
        upright(segment);
        return segment;
      }
      if (marker === 0xDA) break; // start of scan: no more headers
      i += 2 + length;
    }
    return null;
  }

  function upright(segment) {
    var tiff = 10, little = segment[tiff] === 0x49;
    var view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    var ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > segment.length) return;
    var count = view.getUint16(ifd, little);
    for (var n = 0; n < count; n++) {
      var entry = ifd + 2 + n * 12;
      if (entry + 12 > segment.length) return;
      if (view.getUint16(entry, little) === 0x0112) view.setUint16(entry + 8, 1, little);
    }
  }

  function withExif(jpegBlob, segment) {
    if (!segment) return Promise.resolve(jpegBlob);
    return jpegBlob.arrayBuffer().then(function (buffer) {
      var body = new Uint8Array(buffer);
      return new Blob([body.subarray(0, 2), segment, body.subarray(2)], { type: "image/jpeg" });
    });
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file); // e.g. HEIC: as taken
    return file.arrayBuffer().then(function (buffer) {
      var segment = file.type === "image/jpeg" ? exifSegment(new Uint8Array(buffer)) : null;
      return createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 2 * 1024 * 1024) return file;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); })
          .then(function (blob) { return withExif(blob, segment); })
          .then(function (blob) {
            return new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
          });
      });
    }).catch(function () { return file; }); // the server checks what it gets
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("input[type=file][data-resize]") || input.dataset.resized === "1") return;
    var form = input.form;
    busy(form, true);
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (f) { transfer.items.add(f); });
      input.dataset.resized = "1";
      input.files = transfer.files;
      input.dataset.resized = "";
      form.dataset.photosReady = "1";
      busy(form, false);
    });
  });

  // --- signature ------------------------------------------------------------------------------------
  function signatureField(canvas) {
    var form = canvas.closest("form");
    var pad = new window.SignaturePad(canvas, { penColor: "#0b2a6b", backgroundColor: "rgba(0,0,0,0)" });
    var fit = function () {
      var ratio = Math.max(window.devicePixelRatio || 1, 1), data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    };
    window.addEventListener("resize", fit);
    fit();
    pad.addEventListener("beginStroke", function () {
      var empty = form.querySelector("[data-signature-empty]");
      if (empty) empty.classList.add("d-none");
    });
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", function () { pad.clear(); });
    locate(form, function () {});
    form.addEventListener("submit", function (event) {
      var empty = form.querySelector("[data-signature-empty]");
      if (pad.isEmpty()) {
        event.preventDefault();
        if (empty) empty.classList.remove("d-none");
        return;
      }
      form.querySelector("[name=signature]").value = pad.toDataURL("image/png");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-signature]").forEach(signatureField);
  });
})();

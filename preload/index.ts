/**
 * The sandboxed preload: exposes the domain verbs under `window.alicloud`, nothing else. No
 * ipcRenderer, no generic invoke, no process reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// Only api.js at run time: the contract's schemas (zod) stay out of the sandboxed preload.
import { API_KEY, createApi, eventChannel, type Transport } from '../shared/api.js';

const ipcTransport: Transport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe(event, listener) {
    const channel = eventChannel(event);
    // Only the payload goes on: the IPC event object would hand the page a way back to ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld(API_KEY, createApi(ipcTransport));
